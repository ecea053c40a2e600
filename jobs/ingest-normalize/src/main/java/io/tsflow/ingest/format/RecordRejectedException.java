package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;

/** The whole record is unreadable: it goes to the dead-letter topic as it arrived. */
public class RecordRejectedException extends Exception {

    private final RejectReason reason;

    public RecordRejectedException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
