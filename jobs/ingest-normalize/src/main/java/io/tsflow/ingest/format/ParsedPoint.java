package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;

/**
 * One point as a parser read it: its timestamp in microseconds (or why it has none) and its value,
 * either a Jackson node (JSON input) or a typed Java value (Avro and line protocols).
 */
public final class ParsedPoint {

    final int index;
    final long timestampMicros;
    final Object value;
    final RejectReason error;
    final String errorMessage;

    /**
     * The point as it arrived, for the dead-letter topic: the JSON pair, or null when re-rendered.
     */
    final Object source;

    private ParsedPoint(
            int index,
            long timestampMicros,
            Object value,
            RejectReason error,
            String errorMessage,
            Object source) {
        this.index = index;
        this.timestampMicros = timestampMicros;
        this.value = value;
        this.error = error;
        this.errorMessage = errorMessage;
        this.source = source;
    }

    public static ParsedPoint of(int index, long timestampMicros, Object value) {
        return new ParsedPoint(index, timestampMicros, value, null, null, null);
    }

    public static ParsedPoint of(int index, long timestampMicros, Object value, Object source) {
        return new ParsedPoint(index, timestampMicros, value, null, null, source);
    }

    /** A typed point that cannot be stored; its timestamp is kept when known (0 otherwise). */
    public static ParsedPoint invalid(int index, Object value, RejectReason error, String message) {
        return invalid(index, 0, value, error, message);
    }

    public static ParsedPoint invalid(
            int index, long timestampMicros, Object value, RejectReason error, String message) {
        return new ParsedPoint(index, timestampMicros, value, error, message, null);
    }

    /**
     * A JSON point that cannot be stored: the dead letter keeps its {@code [timestamp, value]} pair
     * as sent.
     */
    public static ParsedPoint invalidPair(
            int index, Object pair, RejectReason error, String message) {
        return new ParsedPoint(index, 0, null, error, message, pair);
    }

    public Object source() {
        return source;
    }

    public int index() {
        return index;
    }

    public long timestampMicros() {
        return timestampMicros;
    }

    public Object value() {
        return value;
    }

    public RejectReason error() {
        return error;
    }

    public String errorMessage() {
        return errorMessage;
    }
}
