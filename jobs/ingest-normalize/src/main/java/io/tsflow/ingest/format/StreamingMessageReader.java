package io.tsflow.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tsflow.common.types.InvalidValueException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the shape nearly every gateway sends, one message {@code {"metric": "...", "tagset": {...},
 * "type": "...", "values": [[ts, v], ...]}} with scalar values, with Jackson's streaming parser
 * instead of building a JSON tree first: the tree cost a third of the job's time per record.
 *
 * <p>It only reads; it never judges. Anything outside that shape (another key, a repeated key, a
 * non-scalar value, an empty or odd pair, an array of messages, a syntax error, a limit) makes it
 * answer null, and the tree parser then reads the record and gives the reason. The nodes it builds
 * for timestamps and values are the ones the tree parser would build, so both paths hand the same
 * points to validation.
 */
final class StreamingMessageReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonFactory factory;
    private final TimestampParser timestamps;

    /**
     * @param factory built with the same read constraints as the tree parser's; repeated keys are
     *     detected here, so it needs no duplicate detection of its own
     */
    StreamingMessageReader(JsonFactory factory, TimestampParser timestamps) {
        this.factory = factory;
        this.timestamps = timestamps;
    }

    /** The message in {@code ascii}, or null when the tree parser must read it. */
    ParsedMessage read(byte[] ascii, Supplier<byte[]> original) {
        try (JsonParser parser = factory.createParser(ascii)) {
            ParsedMessage message = message(parser, original);
            return message != null && parser.nextToken() == null ? message : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private ParsedMessage message(JsonParser parser, Supplier<byte[]> original) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String metric = null;
        String type = null;
        Map<String, String> tags = null;
        List<ParsedPoint> points = null;
        for (JsonToken token = parser.nextToken();
                token != JsonToken.END_OBJECT;
                token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                return null;
            }
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "metric" -> {
                    if (metric != null || value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    metric = parser.getText();
                }
                case "type" -> {
                    if (type != null || value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    type = parser.getText();
                }
                case "tagset" -> {
                    if (tags != null || value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    tags = tags(parser);
                    if (tags == null) {
                        return null;
                    }
                }
                case "values" -> {
                    if (points != null || value != JsonToken.START_ARRAY) {
                        return null;
                    }
                    points = points(parser);
                    if (points == null) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (metric == null || type == null || points == null) {
            return null;
        }
        return ParsedMessage.json(
                null, metric, tags == null ? new LinkedHashMap<>() : tags, type, points, original);
    }

    private static Map<String, String> tags(JsonParser parser) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken();
                token != JsonToken.END_OBJECT;
                token = parser.nextToken()) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING
                    || tags.put(key, parser.getText()) != null) {
                return null;
            }
        }
        return tags;
    }

    private List<ParsedPoint> points(JsonParser parser) throws IOException {
        List<ParsedPoint> points = new ArrayList<>(8);
        for (JsonToken token = parser.nextToken();
                token != JsonToken.END_ARRAY;
                token = parser.nextToken()) {
            if (token != JsonToken.START_ARRAY) {
                return null;
            }
            JsonNode timestamp = scalar(parser, parser.nextToken());
            JsonNode value = timestamp == null ? null : scalar(parser, parser.nextToken());
            if (value == null || parser.nextToken() != JsonToken.END_ARRAY) {
                return null;
            }
            ArrayNode pair = NODES.arrayNode(2).add(timestamp).add(value);
            int index = points.size();
            try {
                points.add(ParsedPoint.of(index, timestamps.parse(timestamp), value, pair));
            } catch (InvalidValueException e) {
                points.add(ParsedPoint.invalidPair(index, pair, e.reason(), e.getMessage()));
            }
        }
        return points.isEmpty() ? null : points;
    }

    /** The node Jackson's tree would hold for this token, or null for anything but a scalar. */
    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
            case VALUE_NUMBER_INT ->
                    switch (parser.getNumberType()) {
                        case INT -> IntNode.valueOf(parser.getIntValue());
                        case LONG -> LongNode.valueOf(parser.getLongValue());
                        default -> null;
                    };
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            default -> null;
        };
    }
}
