package io.tsflow.ingest;

import static io.tsflow.common.RejectReason.*;

import io.tsflow.common.RejectReason;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.RawPoint;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bad-input suite: malformed and hostile records, each with the reason codes its dead-letter
 * records must carry, in order. Timestamps are valid relative to {@link #RECORD_TIME_MILLIS} unless
 * the case is about them.
 */
public final class BadInputs {

    /** The Kafka timestamp the cases assume (producers set it explicitly). */
    public static final long RECORD_TIME_MILLIS = 1_763_800_000_000L; // 2025-11-22T08:26:40Z

    static final String OK_TS = "\"2025-11-22T08:00:00\"";

    public record Case(String name, String header, byte[] value, List<RejectReason> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadInputs() {}

    public static List<Case> all(SchemaRegistryClient registry) throws Exception {
        List<Case> cases = new ArrayList<>();
        // The whole record.
        cases.add(bytes("empty record", null, new byte[0], EMPTY_RECORD));
        cases.add(new Case("tombstone", null, null, List.of(EMPTY_RECORD)));
        cases.add(text("whitespace only", null, "   \n\t\n", UNKNOWN_FORMAT));
        cases.add(
                text(
                        "unknown format header",
                        "protobuf",
                        msg("\"a\"", "\"tdouble\"", "1"),
                        UNKNOWN_FORMAT));
        cases.add(
                bytes(
                        "binary garbage",
                        null,
                        new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10},
                        UNKNOWN_FORMAT));
        cases.add(text("broken JSON", null, "{\"metric\": \"a\",", MALFORMED_JSON));
        cases.add(
                text(
                        "JSON with trailing garbage",
                        null,
                        msg("\"a\"", "\"tdouble\"", "1") + " xyz",
                        MALFORMED_JSON));
        cases.add(
                text(
                        "duplicate keys",
                        null,
                        "{\"metric\":\"a\",\"metric\":\"b\",\"type\":\"tdouble\",\"values\":[["
                                + OK_TS
                                + ",1]]}",
                        MALFORMED_JSON));
        cases.add(text("single quotes", null, "{'metric': 'a'}", MALFORMED_JSON));
        cases.add(text("JSON number with json header", "json", "42", INVALID_STRUCTURE));
        cases.add(
                text(
                        "deeply nested JSON",
                        null,
                        "[".repeat(5000) + "]".repeat(5000),
                        JSON_TOO_DEEP));
        cases.add(
                text(
                        "nested objects in a value",
                        null,
                        msg("\"a\"", "\"tdouble\"", "{\"a\":".repeat(40) + "1" + "}".repeat(40)),
                        JSON_TOO_DEEP));
        cases.add(bytes("10 MB message", null, tenMegabytes(), RECORD_TOO_LARGE));
        cases.add(
                bytes(
                        "invalid UTF-8 byte",
                        null,
                        concat(
                                "{\"metric\":\"a",
                                new byte[] {(byte) 0xff},
                                "\",\"type\":\"tdouble\",\"values\":[]}"),
                        INVALID_UTF8));
        cases.add(
                bytes(
                        "overlong UTF-8",
                        null,
                        concat(
                                "{\"metric\":\"a",
                                new byte[] {(byte) 0xc0, (byte) 0x80},
                                "\",\"type\":\"tdouble\",\"values\":[]}"),
                        INVALID_UTF8));
        cases.add(
                bytes(
                        "UTF-8 encoded surrogate",
                        null,
                        concat(
                                "{\"metric\":\"a",
                                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                                "\",\"type\":\"tdouble\",\"values\":[]}"),
                        INVALID_UTF8));
        cases.add(
                text(
                        "envelope series is not an array",
                        null,
                        "{\"series\": {\"metric\": \"a\"}}",
                        INVALID_STRUCTURE));
        cases.add(text("empty batch", null, "[]", NO_POINTS));
        // One message.
        cases.add(
                text(
                        "batch element not an object",
                        null,
                        "[42, " + msg("\"ok.metric\"", "\"tdouble\"", "1").replace("}", "}") + "]",
                        INVALID_STRUCTURE));
        cases.add(
                text(
                        "missing metric",
                        null,
                        "{\"type\":\"tdouble\",\"values\":[[" + OK_TS + ",1]]}",
                        MISSING_METRIC));
        cases.add(text("null metric", null, msg("null", "\"tdouble\"", "1"), MISSING_METRIC));
        cases.add(text("numeric metric", null, msg("12", "\"tdouble\"", "1"), INVALID_STRUCTURE));
        cases.add(
                text(
                        "missing type",
                        null,
                        "{\"metric\":\"a\",\"values\":[[" + OK_TS + ",1]]}",
                        MISSING_TYPE));
        cases.add(text("unknown type", null, msg("\"a\"", "\"tfloat\"", "1"), UNKNOWN_TYPE));
        cases.add(text("numeric type", null, msg("\"a\"", "3", "1"), INVALID_STRUCTURE));
        cases.add(text("tagset is an array", null, msgTags("[\"a\"]"), INVALID_STRUCTURE));
        cases.add(text("numeric tag value", null, msgTags("{\"room\": 12}"), INVALID_TAG_VALUE));
        cases.add(text("empty tag value", null, msgTags("{\"room\": \"  \"}"), INVALID_TAG_VALUE));
        cases.add(
                text(
                        "newline in tag value",
                        null,
                        msgTags("{\"room\": \"a\\nb\"}"),
                        INVALID_TAG_VALUE));
        cases.add(
                text(
                        "NUL in tag value",
                        null,
                        msgTags("{\"room\": \"a\\u0000b\"}"),
                        INVALID_TAG_VALUE));
        cases.add(
                text(
                        "lone surrogate in tag value",
                        null,
                        msgTags("{\"room\": \"\\ud800\"}"),
                        INVALID_TAG_VALUE));
        cases.add(
                text(
                        "very long tag value",
                        null,
                        msgTags("{\"room\": \"" + "x".repeat(1000) + "\"}"),
                        INVALID_TAG_VALUE));
        cases.add(text("space in tag key", null, msgTags("{\"my room\": \"1\"}"), INVALID_TAG_KEY));
        cases.add(
                text(
                        "tag key starting with a digit",
                        null,
                        msgTags("{\"1room\": \"1\"}"),
                        INVALID_TAG_KEY));
        cases.add(
                text("reserved tag key", null, msgTags("{\"__name__\": \"x\"}"), RESERVED_TAG_KEY));
        cases.add(text("huge tagset", null, msgTags(hugeTagset(10_000)), TOO_MANY_TAGS));
        cases.add(
                text(
                        "metric with spaces",
                        null,
                        msg("\"my metric\"", "\"tdouble\"", "1"),
                        INVALID_METRIC_NAME));
        cases.add(text("empty metric", null, msg("\"\"", "\"tdouble\"", "1"), INVALID_METRIC_NAME));
        cases.add(
                text(
                        "metric starting with a dot",
                        null,
                        msg("\".a\"", "\"tdouble\"", "1"),
                        INVALID_METRIC_NAME));
        cases.add(
                text(
                        "very long metric",
                        null,
                        msg("\"" + "m".repeat(1000) + "\"", "\"tdouble\"", "1"),
                        INVALID_METRIC_NAME));
        cases.add(
                text(
                        "metric with a quote",
                        null,
                        msg("\"a\\\"b\"", "\"tdouble\"", "1"),
                        INVALID_METRIC_NAME));
        cases.add(
                text(
                        "values missing",
                        null,
                        "{\"metric\":\"a\",\"type\":\"tdouble\"}",
                        INVALID_STRUCTURE));
        cases.add(
                text(
                        "values is an object",
                        null,
                        "{\"metric\":\"a\",\"type\":\"tdouble\",\"values\":{}}",
                        INVALID_STRUCTURE));
        cases.add(
                text(
                        "values empty",
                        null,
                        "{\"metric\":\"a\",\"type\":\"tdouble\",\"values\":[]}",
                        NO_POINTS));
        // One point.
        cases.add(
                text(
                        "point with one element",
                        null,
                        values("tdouble", "[" + OK_TS + "]"),
                        INVALID_POINT));
        cases.add(
                text(
                        "point with three elements",
                        null,
                        values("tdouble", "[" + OK_TS + ",1,2]"),
                        INVALID_POINT));
        cases.add(text("point is an object", null, values("tdouble", "{\"t\":1}"), INVALID_POINT));
        cases.add(
                text(
                        "timestamp text",
                        null,
                        values("tdouble", "[\"yesterday\",1]"),
                        INVALID_TIMESTAMP));
        cases.add(
                text("timestamp boolean", null, values("tdouble", "[true,1]"), INVALID_TIMESTAMP));
        cases.add(text("timestamp 1e300", null, values("tdouble", "[1e300,1]"), INVALID_TIMESTAMP));
        cases.add(
                text(
                        "timestamp in year 9999",
                        null,
                        values("tdouble", "[\"9999-12-31T23:59:59\",1]"),
                        TIMESTAMP_IN_FUTURE));
        cases.add(
                text(
                        "timestamp a day ahead",
                        null,
                        values("tdouble", "[\"2025-11-23T09:00:00Z\",1]"),
                        TIMESTAMP_IN_FUTURE));
        cases.add(
                text(
                        "timestamp in 1900",
                        null,
                        values("tdouble", "[\"1900-01-01T00:00:00\",1]"),
                        TIMESTAMP_TOO_OLD));
        cases.add(
                text(
                        "negative epoch",
                        null,
                        values("tdouble", "[-1000000000000000,1]"),
                        TIMESTAMP_TOO_OLD));
        cases.add(
                text(
                        "tdouble given a string",
                        null,
                        values("tdouble", "[" + OK_TS + ",\"42\"]"),
                        WRONG_VALUE_TYPE));
        cases.add(
                text(
                        "tdouble given null",
                        null,
                        values("tdouble", "[" + OK_TS + ",null]"),
                        WRONG_VALUE_TYPE));
        cases.add(text("NaN", null, values("tdouble", "[" + OK_TS + ",NaN]"), NON_FINITE_VALUE));
        cases.add(
                text(
                        "Infinity",
                        null,
                        values("tdouble", "[" + OK_TS + ",Infinity]"),
                        NON_FINITE_VALUE));
        cases.add(
                text(
                        "-Infinity",
                        null,
                        values("tdouble", "[" + OK_TS + ",-Infinity]"),
                        NON_FINITE_VALUE));
        cases.add(
                text(
                        "1e400 overflows a double",
                        null,
                        values("tdouble", "[" + OK_TS + ",1e400]"),
                        NON_FINITE_VALUE));
        cases.add(
                text(
                        "tlong given a fraction",
                        null,
                        values("tlong", "[" + OK_TS + ",1.5]"),
                        WRONG_VALUE_TYPE));
        cases.add(
                text(
                        "tlong overflow",
                        null,
                        values("tlong", "[" + OK_TS + ",100000000000000000000]"),
                        VALUE_OUT_OF_RANGE));
        cases.add(
                text(
                        "tbool given text",
                        null,
                        values("tbool", "[" + OK_TS + ",\"true\"]"),
                        WRONG_VALUE_TYPE));
        cases.add(
                text(
                        "ttext too large",
                        null,
                        values("ttext", "[" + OK_TS + ",\"" + "t".repeat(100_000) + "\"]"),
                        VALUE_TOO_LARGE));
        cases.add(
                text(
                        "tbinary not base64",
                        null,
                        values("tbinary", "[" + OK_TS + ",\"%%%\"]"),
                        WRONG_VALUE_TYPE));
        cases.add(
                text(
                        "pos2d latitude 91",
                        null,
                        values("pos2d", "[" + OK_TS + ",{\"latitude\":91,\"longitude\":0}]"),
                        VALUE_OUT_OF_RANGE));
        cases.add(
                text(
                        "pos2d without longitude",
                        null,
                        values("pos2d", "[" + OK_TS + ",{\"latitude\":1}]"),
                        WRONG_VALUE_TYPE));
        cases.add(
                text(
                        "pos2d NaN",
                        null,
                        values("pos2d", "[" + OK_TS + ",{\"latitude\":NaN,\"longitude\":0}]"),
                        NON_FINITE_VALUE));
        cases.add(
                text(
                        "trade with a bad side",
                        null,
                        values(
                                "trade",
                                "[" + OK_TS + ",{\"price\":1.5,\"volume\":3,\"side\":\"hold\"}]"),
                        VALUE_OUT_OF_RANGE));
        cases.add(
                text(
                        "good and bad points mixed",
                        null,
                        values(
                                "tdouble",
                                "[" + OK_TS + ",1]",
                                "[" + OK_TS + ",NaN]",
                                "[\"2025-11-22T08:00:01\",2]",
                                "[\"nope\",3]"),
                        NON_FINITE_VALUE,
                        INVALID_TIMESTAMP));
        // Avro in the Confluent wire format.
        byte[] avro = avroMessage(registry, "tdouble", 1.5);
        cases.add(
                bytes(
                        "Avro with an unknown schema id",
                        null,
                        new byte[] {0, 0x7f, (byte) 0xff, 0, 1, 2, 4, 6},
                        UNKNOWN_SCHEMA_ID));
        cases.add(
                bytes(
                        "truncated Avro",
                        null,
                        Arrays.copyOf(avro, avro.length - 4),
                        MALFORMED_AVRO));
        cases.add(
                bytes(
                        "Avro with trailing bytes",
                        null,
                        Arrays.copyOf(avro, avro.length + 3),
                        MALFORMED_AVRO));
        cases.add(
                bytes(
                        "Avro with a hostile length prefix",
                        null,
                        join(
                                Arrays.copyOf(avro, 5),
                                new byte[] {
                                    (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f
                                }),
                        MALFORMED_AVRO));
        cases.add(
                bytes(
                        "Avro of a foreign schema",
                        null,
                        foreignAvro(registry),
                        INCOMPATIBLE_SCHEMA));
        cases.add(
                bytes(
                        "schema id of a Protobuf schema",
                        null,
                        TestRegistry.wireFormat(
                                protobufSchemaId(), new byte[] {10, 4, 't', 'e', 'm', 'p'}),
                        INCOMPATIBLE_SCHEMA));
        cases.add(
                text(
                        "JSON sent with the avro header",
                        "avro",
                        msg("\"a\"", "\"tdouble\"", "1"),
                        MALFORMED_AVRO));
        cases.add(
                bytes(
                        "Avro NaN value",
                        null,
                        avroMessage(registry, "tdouble", Double.NaN),
                        NON_FINITE_VALUE));
        cases.add(
                bytes(
                        "Avro value of the wrong type",
                        null,
                        avroMessage(registry, "tlong", "text"),
                        WRONG_VALUE_TYPE));
        cases.add(
                bytes(
                        "Avro point without value",
                        null,
                        avroMessage(registry, "tdouble", null),
                        MISSING_VALUE));
        cases.add(bytes("Avro without points", null, avroEmpty(registry), NO_POINTS));
        // Graphite and Influx lines.
        cases.add(text("Graphite line with two fields", "graphite", "a.b 1\n", MALFORMED_LINE));
        cases.add(
                text(
                        "Graphite value not a number",
                        "graphite",
                        "a.b abc 1763798400\n",
                        WRONG_VALUE_TYPE));
        cases.add(
                text(
                        "Graphite timestamp not a number",
                        "graphite",
                        "a.b 1 abc\n",
                        INVALID_TIMESTAMP));
        cases.add(text("Graphite nan", null, "a.b nan 1763798400\n", NON_FINITE_VALUE));
        cases.add(
                text(
                        "Graphite malformed tag",
                        "graphite",
                        "a.b;oops 1 1763798400\n",
                        MALFORMED_LINE));
        cases.add(text("Influx line without fields", "influx", "cpu,host=a\n", MALFORMED_LINE));
        cases.add(text("Influx field value not a value", null, "cpu value=abc\n", MALFORMED_LINE));
        cases.add(
                text(
                        "Influx integer overflow",
                        null,
                        "cpu value=99999999999999999999i\n",
                        VALUE_OUT_OF_RANGE));
        cases.add(
                text(
                        "Influx timestamp not an integer",
                        null,
                        "cpu value=1 12ab\n",
                        INVALID_TIMESTAMP));
        cases.add(text("Influx unterminated string", null, "cpu msg=\"abc\n", MALFORMED_LINE));
        cases.add(
                text(
                        "Influx integer of a million digits",
                        null,
                        "cpu value=" + "9".repeat(1_000_000) + "i\n",
                        VALUE_OUT_OF_RANGE));
        // Names and text that must be refused rather than repaired.
        cases.add(
                text(
                        "control characters at the end of the metric",
                        null,
                        msg("\"temp\\u0000\\u0007\"", "\"tdouble\"", "1"),
                        INVALID_METRIC_NAME));
        cases.add(
                text(
                        "tag keys equal once trimmed",
                        null,
                        "{\"metric\":\"a\",\"tagset\":{\"room\":\"1\",\" room \":\"2\"},"
                                + "\"type\":\"tdouble\",\"values\":[["
                                + OK_TS
                                + ",1]]}",
                        INVALID_TAG_KEY));
        cases.add(
                text(
                        "lone surrogate in a text value",
                        null,
                        msg("\"a\"", "\"ttext\"", "\"x\\ud800y\""),
                        INVALID_TEXT));
        return cases;
    }

    /** A Protobuf schema registered by another team sharing the registry. */
    private static int protobufSchemaId() throws Exception {
        return TestRegistry.registerForeign(
                LocalServers.get().registryUrl(),
                "tsflow-test-protobuf-value",
                "PROTOBUF",
                "syntax = \"proto3\";\nmessage Reading { string metric = 1; }\n");
    }

    private static Case text(String name, String header, String text, RejectReason... expected) {
        return new Case(name, header, text.getBytes(StandardCharsets.UTF_8), List.of(expected));
    }

    private static Case bytes(String name, String header, byte[] value, RejectReason... expected) {
        return new Case(name, header, value, List.of(expected));
    }

    static String msg(String metric, String type, String value) {
        return "{\"metric\":"
                + metric
                + ",\"type\":"
                + type
                + ",\"values\":[["
                + OK_TS
                + ","
                + value
                + "]]}";
    }

    private static String msgTags(String tagset) {
        return "{\"metric\":\"room.temperature\",\"tagset\":"
                + tagset
                + ",\"type\":\"tdouble\",\"values\":[["
                + OK_TS
                + ",1]]}";
    }

    private static String values(String type, String... points) {
        return "{\"metric\":\"bad.points\",\"tagset\":{\"case\":\"x\"},\"type\":\""
                + type
                + "\",\"values\":["
                + String.join(",", points)
                + "]}";
    }

    private static String hugeTagset(int count) {
        StringBuilder tags = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            tags.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return tags.append('}').toString();
    }

    private static byte[] tenMegabytes() {
        return msg("\"big\"", "\"ttext\"", "\"" + "x".repeat(10 * 1024 * 1024) + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        return join(
                join(before.getBytes(StandardCharsets.UTF_8), middle),
                after.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] join(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    public static byte[] avroMessage(SchemaRegistryClient registry, String type, Object value)
            throws Exception {
        RawMessage message =
                new RawMessage(
                        "avro.sensor",
                        Map.of("site", "lab"),
                        type,
                        List.of(new RawPoint(RECORD_TIME_MILLIS * 1000 - 60_000_000L, value)));
        return new ConfluentAvroEncoder<RawMessage>(
                        registry, "raw-value", RawMessage.getClassSchema())
                .encode(message);
    }

    private static byte[] avroEmpty(SchemaRegistryClient registry) throws Exception {
        return new ConfluentAvroEncoder<RawMessage>(
                        registry, "raw-value", RawMessage.getClassSchema())
                .encode(new RawMessage("avro.sensor", Map.of(), "tdouble", List.of()));
    }

    private static byte[] foreignAvro(SchemaRegistryClient registry) throws Exception {
        Observation observation =
                new Observation("k", "k", Map.of(), "tdouble", 1L, 1.0, Origin.MEASURED, null);
        return new ConfluentAvroEncoder<Observation>(
                        registry, "foreign-value", Observation.getClassSchema())
                .encode(observation);
    }
}
