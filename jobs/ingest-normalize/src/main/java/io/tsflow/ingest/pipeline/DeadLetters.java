package io.tsflow.ingest.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.common.time.Micros;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.ingest.format.ParsedMessage;
import io.tsflow.ingest.format.ParsedPoint;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.Rejected;
import io.tsflow.schema.StructuredValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Builds dead-letter records. A whole record keeps its exact bytes; a line keeps its exact line; a
 * rejected JSON or Avro point becomes a one-point TSorage message {@code {"metric", "tagset",
 * "type", "values": [[ts, v]]}} that can be re-sent once repaired. Originals longer than the limit
 * are cut, with the full size recorded.
 */
final class DeadLetters {

    static final String JOB = "ingest-normalize";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxOriginalBytes;

    DeadLetters(int maxOriginalBytes) {
        this.maxOriginalBytes = maxOriginalBytes;
    }

    Rejected record(UndecodedRecord record, String format, RejectReason reason, String message) {
        return build(
                record,
                format,
                reason,
                message,
                null,
                null,
                null,
                record.value == null ? new byte[0] : record.value);
    }

    Rejected message(
            UndecodedRecord record,
            String format,
            ParsedMessage parsed,
            RejectReason reason,
            String message) {
        return build(
                record,
                format,
                reason,
                message,
                parsed.metric(),
                null,
                parsed.messageIndex(),
                parsed.original());
    }

    Rejected point(
            UndecodedRecord record,
            String format,
            ParsedMessage parsed,
            ParsedPoint point,
            RejectReason reason,
            String message) {
        byte[] original =
                parsed.originalPerPoint() ? parsed.original() : renderPoint(parsed, point);
        return build(
                record,
                format,
                reason,
                message,
                parsed.metric(),
                parsed.originalPerPoint() ? null : point.index(),
                parsed.messageIndex(),
                original);
    }

    private Rejected build(
            UndecodedRecord record,
            String format,
            RejectReason reason,
            String message,
            String metric,
            Integer pointIndex,
            Integer messageIndex,
            byte[] original) {
        boolean cut = original.length > maxOriginalBytes;
        return new Rejected(
                reason.name(),
                message,
                JOB,
                record.topic,
                record.partition,
                record.offset,
                record.timestampMillis,
                format,
                metric == null ? null : Abbreviation.abbreviate(metric, 512, ""),
                pointIndex,
                messageIndex,
                ByteBuffer.wrap(cut ? Arrays.copyOf(original, maxOriginalBytes) : original),
                original.length,
                cut,
                null);
    }

    static byte[] renderPoint(ParsedMessage parsed, ParsedPoint point) {
        ObjectNode message = JSON.createObjectNode();
        message.put("metric", parsed.metric());
        ObjectNode tagset = message.putObject("tagset");
        if (parsed.tags() != null) {
            parsed.tags().forEach(tagset::put);
        }
        message.put("type", parsed.type());
        ArrayNode values = message.putArray("values");
        if (point.source() instanceof JsonNode pair) {
            values.add(pair);
        } else {
            ArrayNode pair = values.addArray();
            pair.add(Micros.toInstant(point.timestampMicros()).toString());
            pair.add(toJson(point.value()));
        }
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode toJson(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] raw = new byte[copy.remaining()];
            copy.get(raw);
            return JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(raw));
        }
        if (value instanceof Pos2d position) {
            ObjectNode node = JSON.createObjectNode();
            node.put("latitude", position.getLatitude());
            node.put("longitude", position.getLongitude());
            return node;
        }
        if (value instanceof StructuredValue structured) {
            ObjectNode node = JSON.createObjectNode();
            for (Map.Entry<String, Object> field : structured.getFields().entrySet()) {
                node.set(field.getKey(), JSON.valueToTree(field.getValue()));
            }
            return node;
        }
        return JSON.valueToTree(value instanceof CharSequence text ? text.toString() : value);
    }
}
