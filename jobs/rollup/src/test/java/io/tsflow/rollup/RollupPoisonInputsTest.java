package io.tsflow.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.TestRegistry;
import io.tsflow.testing.flink.TestClusters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records on topic observations that once failed the rollup, from a gateway that changes a series'
 * type within a minute or from another producer writing the topic directly. The job runs with no
 * restart allowed, so any exception would fail it: each record must reach the dead-letter topic
 * with its reason while the healthy series roll up exactly.
 */
class RollupPoisonInputsTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final long START = 1_764_000_000_000_000L; // 2025-11-24T16:00:00Z

    private static Observation point(
            String metric, String room, String type, long micros, Object value) {
        return new Observation(
                metric + "{room=\"" + room + "\"}",
                metric,
                Map.of("room", room),
                type,
                micros,
                value,
                Origin.MEASURED,
                null);
    }

    @Test
    void poisonRecordsBecomeDeadLettersWithTheirReasonAndTheJobNeverRestarts() throws Exception {
        try (RollupFixture fixture =
                new RollupFixture(
                        "levels:\n"
                                + "  - {interval: 1m, allowedLateness: 1m}\n"
                                + "  - {interval: 1h, allowedLateness: 5m}\n")) {
            List<Observation> points = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                points.add(
                        point("temp", "healthy", "tdouble", START + i * 30_000_000L, 20.0 + i % 5));
            }
            // One series whose type changes within a minute: tdouble, then tbool, then ttext.
            points.add(point("mode", "1", "tdouble", START + 1_000_000L, 1.0));
            points.add(point("mode", "1", "tbool", START + 2_000_000L, true));
            points.add(point("mode", "1", "ttext", START + 3_000_000L, "auto"));
            // A finite value the quantile sketch cannot hold.
            points.add(point("temp", "huge", "tdouble", START, 1.79e308));
            // Written by another producer: a key that is not the metric's and tags', a timestamp
            // where bucket arithmetic overflows, a value of another type than declared.
            Observation wrongKey = point("temp", "healthy", "tdouble", START, 99.0);
            wrongKey.setSeriesKey("temp{room=\"healthy\"");
            points.add(wrongKey);
            points.add(point("temp", "future", "tdouble", Long.MAX_VALUE - 5, 1.0));
            points.add(point("temp", "typed", "tdouble", START, "hot"));
            // A record whose schema id is a JSON Schema registered by another team.
            int jsonSchema =
                    TestRegistry.registerForeign(
                            fixture.servers.registryUrl(),
                            fixture.observations + "-json-value",
                            "JSON",
                            "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\"}");
            byte[] jsonRecord =
                    TestRegistry.wireFormat(
                            jsonSchema, "{\"metric\":\"temp\"}".getBytes(StandardCharsets.UTF_8));
            fixture.send(points, jsonRecord);

            fixture.run(0, SinkApplier.table(RollupSinks.rollupTableSink(fixture.config)));

            List<Rejected> dead = fixture.deadLetters();
            assertThat(dead)
                    .extracting(Rejected::getReason)
                    .containsExactlyInAnyOrder(
                            "TYPE_CHANGED",
                            "TYPE_CHANGED",
                            "VALUE_OUT_OF_RANGE",
                            "INVALID_SERIES_KEY",
                            "INVALID_TIMESTAMP",
                            "WRONG_VALUE_TYPE",
                            "INCOMPATIBLE_SCHEMA");
            assertThat(dead).allSatisfy(letter -> assertThat(letter.getJob()).isEqualTo("rollup"));
            assertThat(dead)
                    .filteredOn(letter -> letter.getReason().equals("INCOMPATIBLE_SCHEMA"))
                    .singleElement()
                    .satisfies(
                            letter -> {
                                assertThat(letter.getMessage()).contains("JSON");
                                assertThat(letter.getSourceOffset()).isNotNegative();
                                assertThat(letter.getOriginal())
                                        .isEqualTo(ByteBuffer.wrap(jsonRecord));
                            });

            Map<String, Aggregation> latest = fixture.latestBuckets();
            Aggregation hour = latest.get("temp{room=\"healthy\"}|1h|" + START);
            assertThat(hour.getCount()).isEqualTo(120);
            assertThat(hour.getNumeric().getMax()).isEqualTo(24.0);
            Aggregation mode = latest.get("mode{room=\"1\"}|1m|" + START);
            assertThat(mode.getType()).isEqualTo("tdouble");
            assertThat(mode.getCount()).isEqualTo(1);
            assertThat(latest.keySet())
                    .noneMatch(key -> key.contains("huge") || key.contains("future"));
        }
    }
}
