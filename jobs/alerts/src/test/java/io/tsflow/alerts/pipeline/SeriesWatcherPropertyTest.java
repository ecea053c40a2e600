package io.tsflow.alerts.pipeline;

import static io.tsflow.alerts.rules.AlertRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of points for every kind of rule: changing types, extreme and non-finite values,
 * timestamps at the ends of the accepted range, repeated and out of order, watermarks far ahead,
 * processing time jumping. The watcher never throws (no {@code PROCESSING_FAILED} dead letter), and
 * once every series has been silent past {@code forgetAfter}, no state and no timer remain.
 */
class SeriesWatcherPropertyTest {

    private static final long MIN_MICROS = -62_135_596_800_000_000L;
    private static final long MAX_MICROS = 253_402_300_799_999_999L;
    private static final List<AlertRule> RULES =
            List.of(
                    rule(
                            "{name: silent, kind: stale, metric: temp, staleAfter: 5m, forgetAfter:"
                                    + " 2h}"),
                    rule(
                            "{name: range, kind: outOfRange, metric: temp, min: 0, max: 30, for:"
                                    + " 1m, forgetAfter: 2h}"),
                    rule(
                            "{name: stuck, kind: stuck, metric: temp, stuckPoints: 3, forgetAfter:"
                                    + " 2h}"),
                    rule(
                            "{name: stuck-time, kind: stuck, metric: '.*', stuckFor: 10m,"
                                    + " forgetAfter: 2h}"));
    private static final String[] TYPES = {"tdouble", "tlong", "tbool", "ttext", "pos2d"};
    private static final double[] EXTREMES = {
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE
    };

    private static Object valueOf(String type, Random random) {
        return switch (type) {
            case "tdouble" ->
                    random.nextInt(5) == 0
                            ? EXTREMES[random.nextInt(EXTREMES.length)]
                            : random.nextInt(4) * 10.0;
            case "tlong" -> random.nextBoolean() ? Long.MIN_VALUE : (long) random.nextInt(3);
            case "tbool" -> random.nextBoolean();
            case "ttext" -> "x";
            default -> new Pos2d(1.0, 2.0);
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void noSequenceOfPointsMakesTheWatcherThrowOrLeaveStateBehind(long seed) throws Exception {
        Random random = new Random(seed);
        WatchTiming timing =
                new WatchTiming(
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1));
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SeriesWatcher(RULES, timing, 4)),
                        Observation::getSeriesKey,
                        Types.STRING)) {
            harness.open();
            long now = 1_763_805_600_000L;
            long event = now;
            harness.setProcessingTime(now);
            for (int i = 0; i < 1_500; i++) {
                Map<String, String> tags = Map.of("room", "" + random.nextInt(6));
                String type = TYPES[random.nextInt(random.nextInt(8) == 0 ? TYPES.length : 2)];
                long micros =
                        switch (random.nextInt(25)) {
                            case 0 -> MIN_MICROS;
                            case 1 -> MAX_MICROS;
                            default -> (event + (random.nextInt(120) - 60) * 1000L) * 1000;
                        };
                Observation point =
                        new Observation(
                                SeriesKey.of("temp", new TreeMap<>(tags)),
                                "temp",
                                tags,
                                type,
                                micros,
                                valueOf(type, random),
                                Origin.MEASURED,
                                null);
                harness.processElement(new StreamRecord<>(point, micros / 1000));
                event += random.nextInt(10) * 1000L;
                if (random.nextInt(30) == 0) {
                    harness.processWatermark(
                            new Watermark(random.nextInt(10) == 0 ? Long.MAX_VALUE - 1 : event));
                }
                if (random.nextInt(20) == 0) {
                    now += random.nextInt(4) == 0 ? 20 * 60_000 : 15_000;
                    harness.setProcessingTime(now);
                }
            }
            // Every series silent well past forgetAfter: timers fire until each watch is gone.
            for (int minute = 0; minute < 4 * 60; minute++) {
                now += 60_000;
                harness.setProcessingTime(now);
            }
            List<Rejected> refused =
                    harness.getSideOutput(WatchedRules.REFUSED) == null
                            ? List.of()
                            : harness.getSideOutput(WatchedRules.REFUSED).stream()
                                    .map(StreamRecord::getValue)
                                    .toList();
            assertThat(refused)
                    .extracting(Rejected::getReason)
                    .doesNotContain("PROCESSING_FAILED")
                    .contains("CARDINALITY_LIMIT");
            List<Alert> changes = harness.extractOutputValues();
            assertThat(changes).isNotEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }
}
