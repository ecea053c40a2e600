package io.tsflow.alerts.pipeline;

import static io.tsflow.alerts.rules.AlertRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.testing.flink.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CEP engine's patterns in a real job graph (MiniCluster, parallelism 2). */
class CepEngineTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static Observation point(String room, long second, double value) {
        return new Observation(
                SeriesKey.of("temp", new TreeMap<>(Map.of("room", room))),
                "temp",
                Map.of("room", room),
                "tdouble",
                (1_763_805_600_000L + second * 1000) * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    @Test
    void stuckAndOutOfRangeRunsMatchAndNothingElseDoes() throws Exception {
        List<Observation> points = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            points.add(point("stuck", s, 21.5)); // five equal values
            points.add(point("hot", s, s < 2 ? 20 : 40)); // three above 30 at the end
            points.add(point("fine", s, 20 + s)); // changing, in range
            points.add(point("blip", s, s == 2 ? 40 : 20)); // one above 30
        }
        StreamExecutionEnvironment env = TestClusters.environment(0);
        DataStream<Observation> timed =
                env.fromData(points, new AvroTypeInfo<>(Observation.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Observation>forMonotonousTimestamps()
                                        .withTimestampAssigner(
                                                (p, previous) -> p.getTimestampMicros() / 1000));
        AlertsPipeline.Outputs outputs =
                AlertsPipeline.define(
                        timed,
                        List.of(
                                rule(
                                        "{name: stuck, kind: stuck, metric: temp, stuckPoints: 4,"
                                                + " engine: cep}"),
                                rule(
                                        "{name: hot, kind: outOfRange, metric: temp, max: 30,"
                                                + " outOfRangePoints: 2, engine: cep}")),
                        new WatchTiming(
                                Duration.ofMinutes(1),
                                Duration.ofDays(1), // event times are in 2025: never "behind"
                                Duration.ZERO,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(1)));
        List<String> fired = new ArrayList<>();
        try (var changes = outputs.changes().executeAndCollect()) {
            changes.forEachRemaining(
                    (Alert a) ->
                            fired.add(
                                    a.getStatus()
                                            + " "
                                            + a.getRule()
                                            + " "
                                            + a.getTagset().get("room")));
        }
        assertThat(fired).containsExactlyInAnyOrder("FIRING stuck stuck", "FIRING hot hot");
    }
}
