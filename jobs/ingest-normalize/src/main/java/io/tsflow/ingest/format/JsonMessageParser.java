package io.tsflow.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.common.types.InvalidValueException;
import io.tsflow.ingest.config.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads TSorage JSON: one message {@code {"metric", "tagset", "type", "values": [[ts, v], ...]}},
 * an array of messages, or the envelope {@code {"series": [...]}}. Problems of one message or one
 * point stay with it; only unreadable JSON rejects the whole record. NaN and Infinity tokens are
 * read (to be rejected per point as NON_FINITE_VALUE), duplicate keys are refused, and nesting and
 * string sizes are bounded.
 */
public final class JsonMessageParser {

    private final ObjectMapper mapper;
    private final TimestampParser timestamps;
    private final StreamingMessageReader streaming;

    public JsonMessageParser(Limits limits, String epochUnit) {
        this.mapper =
                new ObjectMapper(factory(limits))
                        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.timestamps = new TimestampParser(epochUnit);
        // A factory of its own: enabling duplicate detection on the mapper changes the mapper's
        // factory, and the streaming reader detects repeated keys itself, more cheaply.
        this.streaming = new StreamingMessageReader(factory(limits), timestamps);
    }

    private static JsonFactory factory(Limits limits) {
        return JsonFactory.builder()
                .streamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(limits.maxJsonDepth())
                                .maxStringLength(limits.maxRecordBytes())
                                .maxNumberLength(400)
                                .build())
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    public List<ParsedMessage> parse(String text) throws RecordRejectedException {
        return parse(text, null);
    }

    /**
     * Parses {@code bytes} directly when they are pure ASCII (nearly all gateway JSON: escapes are
     * ASCII too); anything else is first decoded strictly, so malformed UTF-8 is rejected rather
     * than replaced.
     */
    public List<ParsedMessage> parse(byte[] bytes, StrictUtf8Text utf8)
            throws RecordRejectedException {
        if (!isAscii(bytes)) {
            return parse(utf8.decode(bytes), null);
        }
        ParsedMessage common = streaming.read(bytes, () -> compact(bytes));
        return common != null ? List.of(common) : parse(null, bytes);
    }

    /**
     * Pure ASCII {@code bytes} read by the tree parser alone: what the streaming reader must match.
     */
    List<ParsedMessage> parseWithTree(byte[] asciiBytes) throws RecordRejectedException {
        return parse(null, asciiBytes);
    }

    /** A single message's bytes as the tree parser renders it for a dead letter. */
    private byte[] compact(byte[] bytes) {
        try {
            return mapper.readTree(bytes).toString().getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            // The streaming reader read these bytes as one valid message.
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private List<ParsedMessage> parse(String text, byte[] asciiBytes)
            throws RecordRejectedException {
        JsonNode root;
        try {
            root = text != null ? mapper.readTree(text) : mapper.readTree(asciiBytes);
        } catch (StreamConstraintsException e) {
            boolean depth = String.valueOf(e.getMessage()).contains("nesting depth");
            throw new RecordRejectedException(
                    depth ? RejectReason.JSON_TOO_DEEP : RejectReason.RECORD_TOO_LARGE,
                    firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new RecordRejectedException(
                    RejectReason.MALFORMED_JSON,
                    "malformed JSON: "
                            + firstLine(e.getOriginalMessage())
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line "
                                            + e.getLocation().getLineNr()
                                            + ", column "
                                            + e.getLocation().getColumnNr()));
        } catch (java.io.IOException e) {
            // Reading a byte array does no I/O; Jackson declares it for streams.
            throw new RecordRejectedException(
                    RejectReason.MALFORMED_JSON, "unreadable JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new RecordRejectedException(
                    RejectReason.EMPTY_RECORD, "the record holds no JSON value");
        }
        List<ParsedMessage> messages = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                messages.add(message(root.get(i), i));
            }
        } else if (root.isObject() && !root.has("metric") && root.has("series")) {
            JsonNode series = root.get("series");
            if (!series.isArray()) {
                throw new RecordRejectedException(
                        RejectReason.INVALID_STRUCTURE, "\"series\" must be an array of messages");
            }
            for (int i = 0; i < series.size(); i++) {
                messages.add(message(series.get(i), i));
            }
        } else if (root.isObject()) {
            messages.add(message(root, null));
        } else {
            throw new RecordRejectedException(
                    RejectReason.INVALID_STRUCTURE,
                    "expected a message object, an array of messages or {\"series\": [...]}, got "
                            + root.getNodeType().name().toLowerCase());
        }
        if (messages.isEmpty()) {
            throw new RecordRejectedException(
                    RejectReason.NO_POINTS, "the batch holds no messages");
        }
        return messages;
    }

    private ParsedMessage message(JsonNode node, Integer index) {
        Supplier<byte[]> original = () -> node.toString().getBytes(StandardCharsets.UTF_8);
        if (!node.isObject()) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.INVALID_STRUCTURE,
                    "a message must be a JSON object",
                    original,
                    null);
        }
        JsonNode metric = node.get("metric");
        if (metric == null || metric.isNull()) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.MISSING_METRIC,
                    "the message has no \"metric\"",
                    original,
                    null);
        }
        if (!metric.isTextual()) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.INVALID_STRUCTURE,
                    "\"metric\" must be a string",
                    original,
                    null);
        }
        String metricName = metric.textValue();
        JsonNode type = node.get("type");
        if (type == null || type.isNull()) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.MISSING_TYPE,
                    "the message has no \"type\"",
                    original,
                    metricName);
        }
        if (!type.isTextual()) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.INVALID_STRUCTURE,
                    "\"type\" must be a string",
                    original,
                    metricName);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagset = node.get("tagset");
        if (tagset != null && !tagset.isNull()) {
            if (!tagset.isObject()) {
                return ParsedMessage.invalid(
                        index,
                        RejectReason.INVALID_STRUCTURE,
                        "\"tagset\" must be an object of strings",
                        original,
                        metricName);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = tagset.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tag = it.next();
                if (!tag.getValue().isTextual()) {
                    return ParsedMessage.invalid(
                            index,
                            RejectReason.INVALID_TAG_VALUE,
                            "tag '"
                                    + Abbreviation.abbreviate(tag.getKey(), 80)
                                    + "' must have a string value",
                            original,
                            metricName);
                }
                tags.put(tag.getKey(), tag.getValue().textValue());
            }
        }
        JsonNode values = node.get("values");
        if (values == null || !values.isArray()) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.INVALID_STRUCTURE,
                    "\"values\" must be an array of [timestamp, value] pairs",
                    original,
                    metricName);
        }
        if (values.isEmpty()) {
            return ParsedMessage.invalid(
                    index, RejectReason.NO_POINTS, "\"values\" is empty", original, metricName);
        }
        List<ParsedPoint> points = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            JsonNode pair = values.get(i);
            if (!pair.isArray() || pair.size() != 2) {
                points.add(
                        ParsedPoint.invalidPair(
                                i,
                                pair,
                                RejectReason.INVALID_POINT,
                                "a point must be [timestamp, value]"));
                continue;
            }
            try {
                points.add(ParsedPoint.of(i, timestamps.parse(pair.get(0)), pair.get(1), pair));
            } catch (InvalidValueException e) {
                points.add(ParsedPoint.invalidPair(i, pair, e.reason(), e.getMessage()));
            }
        }
        return ParsedMessage.json(index, metricName, tags, type.textValue(), points, original);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
