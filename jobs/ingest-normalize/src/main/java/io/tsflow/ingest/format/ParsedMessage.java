package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One message as a parser read it: a metric, tags and type shared by its points, or why it could
 * not be read. {@code messageIndex} is its position in a batch (JSON array, envelope, line number);
 * {@code original} renders the text to put in the dead-letter topic if the whole message is
 * rejected.
 */
public final class ParsedMessage {

    final Integer messageIndex;
    final String metric;
    final Map<String, String> tags;
    final String type;
    final List<ParsedPoint> points;
    final boolean jsonValues;
    final RejectReason error;
    final String errorMessage;
    private final Supplier<byte[]> original;

    /** Lines carry their exact original text per point; JSON and Avro points are re-rendered. */
    final boolean originalPerPoint;

    private ParsedMessage(
            Integer messageIndex,
            String metric,
            Map<String, String> tags,
            String type,
            List<ParsedPoint> points,
            boolean jsonValues,
            RejectReason error,
            String errorMessage,
            Supplier<byte[]> original,
            boolean originalPerPoint) {
        this.messageIndex = messageIndex;
        this.metric = metric;
        this.tags = tags;
        this.type = type;
        this.points = points;
        this.jsonValues = jsonValues;
        this.error = error;
        this.errorMessage = errorMessage;
        this.original = original;
        this.originalPerPoint = originalPerPoint;
    }

    /** A message whose points are JSON values. */
    public static ParsedMessage json(
            Integer messageIndex,
            String metric,
            Map<String, String> tags,
            String type,
            List<ParsedPoint> points,
            Supplier<byte[]> original) {
        return new ParsedMessage(
                messageIndex, metric, tags, type, points, true, null, null, original, false);
    }

    /** A message whose points are typed values. */
    public static ParsedMessage typed(
            Integer messageIndex,
            String metric,
            Map<String, String> tags,
            String type,
            List<ParsedPoint> points,
            Supplier<byte[]> original,
            boolean originalIsTheLine) {
        return new ParsedMessage(
                messageIndex,
                metric,
                tags,
                type,
                points,
                false,
                null,
                null,
                original,
                originalIsTheLine);
    }

    /**
     * A message that cannot be read at all; {@code pointCount} points are lost with it (0 if
     * unknown).
     */
    public static ParsedMessage invalid(
            Integer messageIndex,
            RejectReason error,
            String message,
            Supplier<byte[]> original,
            String metric) {
        return new ParsedMessage(
                messageIndex,
                metric,
                null,
                null,
                List.of(),
                false,
                error,
                message,
                original,
                false);
    }

    public Integer messageIndex() {
        return messageIndex;
    }

    public String metric() {
        return metric;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public String type() {
        return type;
    }

    public List<ParsedPoint> points() {
        return points;
    }

    public boolean jsonValues() {
        return jsonValues;
    }

    public RejectReason error() {
        return error;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** Rendered only when a dead-letter record needs it. */
    public byte[] original() {
        return original.get();
    }

    public boolean originalPerPoint() {
        return originalPerPoint;
    }
}
