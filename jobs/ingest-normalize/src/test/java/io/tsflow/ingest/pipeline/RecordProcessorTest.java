package io.tsflow.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.RejectReason;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.types.ValueTypes;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.BadInputs;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.config.NewSeriesLimit;
import io.tsflow.ingest.format.AvroMessageParser;
import io.tsflow.ingest.normalize.NewSeriesGate;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.Rejected;
import io.tsflow.schema.StructuredValue;
import io.tsflow.testing.LocalServers;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordProcessorTest {

    static final long RECORD_TIME = BadInputs.RECORD_TIME_MILLIS;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void registry() {
        registry = new SchemaRegistryClient(RegistrySettings.of(LocalServers.get().registryUrl()));
    }

    /** A processor whose wall clock stands at {@code nowMillis}, with a limit on new series. */
    static RecordProcessor processorAt(long nowMillis, NewSeriesGate newSeries) {
        return new RecordProcessor(
                IngestRules.defaults(),
                ValueTypes.discover(RecordProcessorTest.class.getClassLoader()),
                new AvroMessageParser(
                        new ConfluentAvroDecoder<>(registry, RawMessage.getClassSchema())),
                () -> nowMillis,
                newSeries);
    }

    static RecordProcessor processor(IngestRules rules) {
        return new RecordProcessor(
                rules,
                ValueTypes.discover(RecordProcessorTest.class.getClassLoader()),
                new AvroMessageParser(
                        new ConfluentAvroDecoder<>(registry, RawMessage.getClassSchema())));
    }

    static CollectingOutput run(RecordProcessor processor, String header, byte[] value)
            throws Exception {
        CollectingOutput out = new CollectingOutput();
        processor.process(new UndecodedRecord("raw", 3, 77, RECORD_TIME, header, value), out);
        return out;
    }

    static CollectingOutput run(String text) throws Exception {
        return run(processor(IngestRules.defaults()), null, text.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<BadInputs.Case> badInputs() throws Exception {
        return BadInputs.all(registry).stream();
    }

    @Test
    void theSuiteHasAtLeastFiftyDistinctCases() throws Exception {
        List<BadInputs.Case> cases = BadInputs.all(registry);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        assertThat(cases.stream().map(BadInputs.Case::name).distinct()).hasSameSizeAs(cases);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputReachesTheDeadLetterOutputWithItsReason(BadInputs.Case input) throws Exception {
        CollectingOutput out =
                run(processor(IngestRules.defaults()), input.header(), input.value());
        assertThat(out.reasons())
                .containsExactlyElementsOf(
                        input.expected().stream().map(RejectReason::name).toList());
        for (Rejected rejected : out.rejected) {
            assertThat(rejected.getSourceTopic()).isEqualTo("raw");
            assertThat(rejected.getSourcePartition()).isEqualTo(3);
            assertThat(rejected.getSourceOffset()).isEqualTo(77);
            assertThat(rejected.getSourceTimestampMillis()).isEqualTo(RECORD_TIME);
            assertThat(rejected.getJob()).isEqualTo("ingest-normalize");
            assertThat(rejected.getMessage()).isNotBlank();
            assertThat(rejected.getOriginal().remaining()).isLessThanOrEqualTo(256 * 1024);
            if (input.value() != null && input.value().length > 0) {
                assertThat(rejected.getOriginalSize()).isPositive();
            }
        }
    }

    @Test
    void aKafkaTimestampBeyondTheMicrosecondRangeRejectsTheRecord() throws Exception {
        CollectingOutput out = new CollectingOutput();
        byte[] influx = "cpu value=1i\n".getBytes(StandardCharsets.UTF_8);
        processor(IngestRules.defaults())
                .process(new UndecodedRecord("raw", 0, 1, Long.MAX_VALUE - 1, null, influx), out);
        assertThat(out.reasons()).containsExactly("INVALID_TIMESTAMP");
        assertThat(out.observations).isEmpty();
    }

    @Test
    void aGatewayWhoseClockRunsTenYearsAheadCannotPassItsPointsWithItsRecordTime()
            throws Exception {
        long now = RECORD_TIME;
        long tenYearsAhead = now + 3653L * 24 * 3600 * 1000;
        RecordProcessor processor = processorAt(now, null);
        String skewed =
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[" + tenYearsAhead + ",1]]}";
        CollectingOutput out = new CollectingOutput();
        processor.process(
                new UndecodedRecord(
                        "raw", 0, 1, tenYearsAhead, null, skewed.getBytes(StandardCharsets.UTF_8)),
                out);
        assertThat(out.reasons()).containsExactly("TIMESTAMP_IN_FUTURE");
        // A record stamped in the past is still judged by its own time alone (replays).
        String onTime = "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[" + now + ",1]]}";
        out = new CollectingOutput();
        processor.process(
                new UndecodedRecord(
                        "raw", 0, 2, now, null, onTime.getBytes(StandardCharsets.UTF_8)),
                out);
        assertThat(out.observations).hasSize(1);
    }

    @Test
    void aMessageOfANewSeriesBeyondTheLimitIsDeadLetteredWithAllItsPoints() throws Exception {
        long now = RECORD_TIME;
        RecordProcessor processor =
                processorAt(
                        now,
                        new NewSeriesGate(
                                new NewSeriesLimit(1, 1_000, Duration.ZERO),
                                now,
                                new long[0],
                                false));
        CollectingOutput out = new CollectingOutput();
        for (String room : List.of("1", "2", "1")) {
            String json =
                    "{\"metric\":\"temp\",\"tagset\":{\"room\":\""
                            + room
                            + "\"},\"type\":\"tdouble\",\"values\":[["
                            + now
                            + ",1],["
                            + (now - 1000)
                            + ",2]]}";
            processor.process(
                    new UndecodedRecord(
                            "raw", 0, 1, now, null, json.getBytes(StandardCharsets.UTF_8)),
                    out);
        }
        assertThat(out.observations)
                .extracting(Observation::getSeriesKey)
                .containsOnly("temp{room=\"1\"}")
                .hasSize(4);
        assertThat(out.reasons()).containsExactly("CARDINALITY_LIMIT");
        assertThat(out.rejected.get(0).getMessage()).contains("ingest.newSeries.perMinute");
    }

    @Test
    void wholeRecordRejectionsKeepTheExactBytes() throws Exception {
        byte[] broken = "{\"metric\": oops".getBytes(StandardCharsets.UTF_8);
        Rejected rejected = run(processor(IngestRules.defaults()), null, broken).rejected.get(0);
        assertThat(bytes(rejected.getOriginal())).isEqualTo(broken);
        assertThat(rejected.getFormat()).isEqualTo("json");
        assertThat(rejected.getPointIndex()).isNull();
        assertThat(rejected.getOriginalTruncated()).isFalse();
    }

    @Test
    void oversizedOriginalsAreCutAndSaySo() throws Exception {
        byte[] huge = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '{');
        Rejected rejected = run(processor(IngestRules.defaults()), null, huge).rejected.get(0);
        assertThat(rejected.getReason()).isEqualTo("RECORD_TOO_LARGE");
        assertThat(rejected.getOriginal().remaining()).isEqualTo(256 * 1024);
        assertThat(rejected.getOriginalSize()).isEqualTo(huge.length);
        assertThat(rejected.getOriginalTruncated()).isTrue();
    }

    @Test
    void aRejectedPointIsAOnePointMessageThatCanBeResent() throws Exception {
        CollectingOutput out =
                run(
                        "{\"metric\":\"m\",\"tagset\":{\"a\":\"1\"},\"type\":\"tdouble\",\"values\":"
                            + "[[\"2025-11-22T08:00:00\",1],[\"2025-11-22T08:00:01\",\"oops\"]]}");
        assertThat(out.observations).hasSize(1);
        Rejected rejected = out.rejected.get(0);
        assertThat(rejected.getPointIndex()).isEqualTo(1);
        assertThat(rejected.getMetric()).isEqualTo("m");
        String original = new String(bytes(rejected.getOriginal()), StandardCharsets.UTF_8);
        assertThat(original)
                .isEqualTo(
                        "{\"metric\":\"m\",\"tagset\":{\"a\":\"1\"},\"type\":\"tdouble\",\"values\":"
                            + "[[\"2025-11-22T08:00:01\",\"oops\"]]}");
        // Repaired and resent, it is accepted.
        assertThat(run(original.replace("\"oops\"", "2")).observations).hasSize(1);
    }

    @Test
    void aRejectedAvroPointKeepsItsTimestamp() throws Exception {
        Rejected rejected =
                run(
                                processor(IngestRules.defaults()),
                                null,
                                BadInputs.avroMessage(registry, "tdouble", null))
                        .rejected
                        .get(0);
        assertThat(rejected.getReason()).isEqualTo("MISSING_VALUE");
        // The point in BadInputs is one minute before the record time.
        String expected = java.time.Instant.ofEpochMilli(RECORD_TIME - 60_000).toString();
        assertThat(new String(bytes(rejected.getOriginal()), StandardCharsets.UTF_8))
                .contains("\"" + expected + "\"");
    }

    @Test
    void readsTSorageMessagesBatchesAndEnvelopes() throws Exception {
        String one =
                "{\"metric\":\"my-temperature-sensor\",\"tagset\":{\"quality\":\"good\",\"owner\":\"myself\"},"
                    + "\"type\":\"tdouble\",\"values\":[[\"2020-01-02T03:04:05.678\",42.1337],"
                    + "[\"2020-01-02T03:04:06.123\",654.72]]}";
        IngestRules rules = rulesAccepting2020();
        CollectingOutput single = run(processor(rules), null, one.getBytes(StandardCharsets.UTF_8));
        assertThat(single.rejected).isEmpty();
        assertThat(single.observations)
                .extracting(Observation::getTimestampMicros)
                .containsExactly(1_577_934_245_678_000L, 1_577_934_246_123_000L);
        Observation first = single.observations.get(0);
        assertThat(first.getSeriesKey())
                .isEqualTo("my-temperature-sensor{owner=\"myself\",quality=\"good\"}");
        assertThat(first.getValue()).isEqualTo(42.1337);

        assertThat(
                        run(processor(rules), null, ("[" + one + "," + one + "]").getBytes())
                                .observations)
                .hasSize(4);
        assertThat(
                        run(processor(rules), null, ("{\"series\":[" + one + "]}").getBytes())
                                .observations)
                .hasSize(2);
    }

    @Test
    void readsEveryBuiltinTypeAndTheExtensionType() throws Exception {
        String ts = "\"2025-11-22T08:00:00\"";
        CollectingOutput out =
                run(
                        "["
                                + message("tdouble", "1.5", ts)
                                + ","
                                + message("tlong", "9007199254740993", ts)
                                + ","
                                + message("tbool", "true", ts)
                                + ","
                                + message("ttext", "\"h\\u00e9\"", ts)
                                + ","
                                + message("tbinary", "\"AAEC\"", ts)
                                + ","
                                + message("pos2d", "{\"latitude\":50.85,\"longitude\":4.35}", ts)
                                + ","
                                + message(
                                        "trade",
                                        "{\"price\":12.5,\"volume\":300,\"side\":\"buy\"}",
                                        ts)
                                + "]");
        assertThat(out.rejected).isEmpty();
        assertThat(out.observations)
                .extracting(Observation::getValue)
                .containsExactly(
                        1.5,
                        9_007_199_254_740_993L,
                        true,
                        "h\u00e9",
                        ByteBuffer.wrap(new byte[] {0, 1, 2}),
                        new Pos2d(50.85, 4.35),
                        new StructuredValue(Map.of("price", 12.5, "volume", 300L, "side", "buy")));
    }

    @Test
    void timestampsInEveryNotationKeepMicroseconds() throws Exception {
        CollectingOutput out =
                run(
                        "{\"metric\":\"t\",\"type\":\"tlong\",\"values\":["
                                + "[\"2025-11-22T08:00:00.123456\",1],"
                                + "[\"2025-11-22T08:00:00.123456789Z\",2],"
                                + "[\"2025-11-22T10:00:00.5+02:00\",3],"
                                + "[1763798400123,4],"
                                + "[1763798400123.456,5]]}");
        assertThat(out.rejected).isEmpty();
        assertThat(out.observations)
                .extracting(Observation::getTimestampMicros)
                .containsExactly(
                        1_763_798_400_123_456L,
                        1_763_798_400_123_456L,
                        1_763_798_400_500_000L,
                        1_763_798_400_123_000L,
                        1_763_798_400_123_456L);
    }

    @Test
    void avroMessagesAreRead() throws Exception {
        CollectingOutput out =
                run(
                        processor(IngestRules.defaults()),
                        null,
                        BadInputs.avroMessage(registry, "tdouble", 21.5));
        assertThat(out.rejected).isEmpty();
        Observation observation = out.observations.get(0);
        assertThat(observation.getSeriesKey()).isEqualTo("avro.sensor{site=\"lab\"}");
        assertThat(observation.getValue()).isEqualTo(21.5);
    }

    @Test
    void graphiteLinesWithTagsAreRead() throws Exception {
        CollectingOutput out =
                run(
                        "servers.web01.cpu 0.75 1763798400\n"
                                + "disk.used;host=web01;mount=/ 1e9 1763798400.25\r\n\n");
        assertThat(out.rejected).isEmpty();
        assertThat(out.observations)
                .extracting(
                        Observation::getSeriesKey,
                        Observation::getTimestampMicros,
                        Observation::getValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "servers.web01.cpu", 1_763_798_400_000_000L, 0.75),
                        org.assertj.core.groups.Tuple.tuple(
                                "disk.used{host=\"web01\",mount=\"/\"}",
                                1_763_798_400_250_000L,
                                1e9));
    }

    @Test
    void influxLinesBecomeOneSeriesPerField() throws Exception {
        CollectingOutput out =
                run(
                        "# telegraf\n"
                            + "cpu,host=web\\ 01,region=eu usage_idle=98.5,count=3i,up=t,state=\"ok"
                            + " \\\"fine\\\"\" 1763798400000000000\n"
                            + "mem free=1024u\n");
        assertThat(out.rejected).isEmpty();
        assertThat(out.observations)
                .extracting(Observation::getSeriesKey, Observation::getType, Observation::getValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "cpu.usage_idle{host=\"web 01\",region=\"eu\"}", "tdouble", 98.5),
                        org.assertj.core.groups.Tuple.tuple(
                                "cpu.count{host=\"web 01\",region=\"eu\"}", "tlong", 3L),
                        org.assertj.core.groups.Tuple.tuple(
                                "cpu.up{host=\"web 01\",region=\"eu\"}", "tbool", true),
                        org.assertj.core.groups.Tuple.tuple(
                                "cpu.state{host=\"web 01\",region=\"eu\"}", "ttext", "ok \"fine\""),
                        org.assertj.core.groups.Tuple.tuple("mem.free", "tlong", 1024L));
        assertThat(out.observations.get(0).getTimestampMicros()).isEqualTo(1_763_798_400_000_000L);
        // No timestamp: the Kafka record's.
        assertThat(out.observations.get(4).getTimestampMicros()).isEqualTo(RECORD_TIME * 1000);
    }

    @Test
    void theFormatHeaderOverridesDetection() throws Exception {
        CollectingOutput out =
                run(processor(IngestRules.defaults()), "influx", "a.b 1 1763798400".getBytes());
        assertThat(out.reasons()).containsExactly("MALFORMED_LINE");
    }

    @Test
    void renameRulesAndStaticTagsNormalizeTheSeries() throws Exception {
        IngestRules rules =
                rules(
                        """
                        renames:
                          - match: 'app\\.http\\.status\\.(?<code>\\d{3})'
                            metric: app.http.status
                            tags: {code: '${code}'}
                        staticTags:
                          - metric: 'app\\..*'
                            tags: {team: web, code: ignored}
                        """);
        CollectingOutput out =
                run(processor(rules), null, "app.http.status.500 7 1763798400\n".getBytes());
        assertThat(out.observations.get(0).getSeriesKey())
                .isEqualTo("app.http.status{code=\"500\",team=\"web\"}");
    }

    @Test
    void tagsAreTrimmedAndSortedIntoOneCanonicalKey() throws Exception {
        CollectingOutput out =
                run(
                        "[{\"metric\":\" m \",\"tagset\":{\" b \":\" 2"
                            + " \",\"a\":\"1\"},\"type\":\"tlong\",\"values\":[[\"2025-11-22T08:00:00\",1]]},"
                            + "{\"metric\":\"m\",\"tagset\":{\"a\":\"1\",\"b\":\"2\"},\"type\":\"tlong\",\"values\":[[\"2025-11-22T08:00:00\",2]]}]");
        assertThat(out.observations)
                .extracting(Observation::getSeriesKey)
                .containsOnly("m{a=\"1\",b=\"2\"}");
        assertThat(out.observations.get(0).getTagset())
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void timestampBoundsFollowTheRecordTimeNotTheClock() throws Exception {
        IngestRules rules = rules("timestamps: {maxFutureSkew: 5m, maxAge: 1d}\n");
        String text =
                "{\"metric\":\"m\",\"type\":\"tlong\",\"values\":[[\"2025-11-22T08:30:00Z\",1],"
                        + "[\"2025-11-22T08:32:00Z\",2],[\"2025-11-21T08:00:00Z\",3]]}";
        CollectingOutput out = run(processor(rules), null, text.getBytes());
        assertThat(out.observations).extracting(Observation::getValue).containsExactly(1L);
        assertThat(out.reasons()).containsExactly("TIMESTAMP_IN_FUTURE", "TIMESTAMP_TOO_OLD");
    }

    @Test
    void everyPointIsAccountedFor() throws Exception {
        CollectingOutput out =
                run(
                        "[{\"metric\":\"ok\",\"type\":\"tlong\",\"values\":[[\"2025-11-22T08:00:00\",1],[\"2025-11-22T08:00:01\",2.5]]},{\"metric\":\"bad"
                            + " name\",\"type\":\"tlong\",\"values\":[[\"2025-11-22T08:00:00\",1],[\"2025-11-22T08:00:01\",2]]}]");
        assertThat(out.observations).hasSize(1);
        assertThat(out.pointsLost).isEqualTo(3);
        assertThat(out.observations.size() + out.pointsLost).isEqualTo(4);
    }

    private static String message(String type, String value, String ts) {
        return "{\"metric\":\"types."
                + type
                + "\",\"type\":\""
                + type
                + "\",\"values\":[["
                + ts
                + ","
                + value
                + "]]}";
    }

    private static IngestRules rulesAccepting2020() {
        return rules("timestamps: {oldest: '2000-01-01T00:00:00Z'}\n");
    }

    static IngestRules rules(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                IngestRules.class,
                "test");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
