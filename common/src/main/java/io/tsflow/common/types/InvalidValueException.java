package io.tsflow.common.types;

import io.tsflow.common.RejectReason;

/**
 * A value that does not fit its declared type. Checked: every caller must route it to the
 * dead-letter topic.
 */
public class InvalidValueException extends Exception {

    private final RejectReason reason;

    public InvalidValueException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
