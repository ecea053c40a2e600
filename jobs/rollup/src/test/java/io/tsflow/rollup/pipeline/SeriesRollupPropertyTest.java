package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of points per series, valid and hostile alike: types that change, extreme and
 * non-finite values, timestamps at the ends of the range the jobs accept, repeated timestamps, out
 * of order, with processing time jumping. Whatever the sequence, the rollup never throws (no point
 * becomes a {@code PROCESSING_FAILED} dead letter), and the end of the input leaves no state and no
 * timer behind. Each seed is one reproducible sequence.
 */
class SeriesRollupPropertyTest {

    static final long MIN_MICROS = -62_135_596_800_000_000L; // 0001-01-01
    static final long MAX_MICROS = 253_402_300_799_999_999L; // 9999-12-31T23:59:59.999999

    private static final Object[] EXTREMES = {
        0.0,
        -0.0,
        Double.MIN_VALUE,
        1.79e308,
        -1.79e308,
        Double.MAX_VALUE,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        0L
    };

    private static final String[] TYPES = {"tdouble", "tlong", "tbool", "ttext", "pos2d"};

    static Object valueOf(String type, Random random) {
        return switch (type) {
            case "tdouble" ->
                    random.nextInt(4) == 0
                            ? ((Number) EXTREMES[random.nextInt(8)]).doubleValue()
                            : random.nextGaussian() * 100;
            case "tlong" ->
                    random.nextInt(4) == 0
                            ? (Long) EXTREMES[8 + random.nextInt(3)]
                            : (long) random.nextInt(1000);
            case "tbool" -> random.nextBoolean();
            case "ttext" -> "state-" + random.nextInt(5);
            default -> new Pos2d(random.nextDouble() * 180 - 90, random.nextDouble() * 360 - 180);
        };
    }

    static long timestampOf(Random random, long base) {
        return switch (random.nextInt(20)) {
            case 0 -> MIN_MICROS + random.nextInt(1_000_000);
            case 1 -> MAX_MICROS - random.nextInt(1_000_000);
            default -> base + (random.nextInt(3_600) - 600) * 1_000_000L;
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void noSequenceOfPointsMakesTheRollupThrowOrLeaveStateBehind(long seed) throws Exception {
        Random random = new Random(seed);
        RollupRules rules =
                RulesYaml.rules("{name: zoned, metric: 'temp', zoneTag: tz, counter: true}");
        SeriesRollup rollup =
                new SeriesRollup(
                        List.of(
                                new RollupLevel(Interval.parse("1m"), Duration.ofMinutes(2)),
                                new RollupLevel(Interval.parse("1h"), Duration.ofMinutes(5)),
                                new RollupLevel(Interval.parse("1d"), Duration.ofMinutes(5))),
                        rules,
                        new SeriesTiming(
                                Duration.ofSeconds(random.nextInt(60)),
                                Duration.ofMinutes(1),
                                Duration.ofMinutes(30)),
                        3);
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        rollup.operator(), PointRun::seriesKey, Types.STRING)) {
            harness.open();
            long base = 1_764_000_000_000_000L;
            long now = 0;
            for (int i = 0; i < 2_000; i++) {
                int series = random.nextInt(5);
                String zone = series == 4 ? "Not/AZone" : series % 2 == 0 ? "Europe/Brussels" : "";
                Map<String, String> tags =
                        zone.isEmpty()
                                ? Map.of("s", "" + series)
                                : Map.of("s", "" + series, "tz", zone);
                String metric = series == 3 ? "other" : "temp";
                String type = TYPES[random.nextInt(random.nextInt(10) == 0 ? TYPES.length : 2)];
                Observation point =
                        new Observation(
                                metric + tags,
                                metric,
                                tags,
                                type,
                                timestampOf(random, base),
                                valueOf(type, random),
                                Origin.MEASURED,
                                null);
                harness.processElement(new StreamRecord<>(ShuffledRuns.of(point)));
                base += random.nextInt(20) * 1_000_000L;
                if (random.nextInt(50) == 0) {
                    now += random.nextInt(3) == 0 ? Duration.ofHours(1).toMillis() : 30_000;
                    harness.setProcessingTime(now);
                }
            }
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            List<Rejected> refused =
                    harness.getSideOutput(SeriesRollup.REFUSED) == null
                            ? List.of()
                            : harness.getSideOutput(SeriesRollup.REFUSED).stream()
                                    .map(StreamRecord::getValue)
                                    .toList();
            assertThat(refused).extracting(Rejected::getReason).doesNotContain("PROCESSING_FAILED");
            // The hostile parts were exercised: refusals of several kinds, and buckets emitted.
            assertThat(refused)
                    .extracting(Rejected::getReason)
                    .contains("TYPE_CHANGED", "VALUE_OUT_OF_RANGE", "CARDINALITY_LIMIT");
            assertThat(harness.extractOutputValues())
                    .isNotEmpty()
                    .allSatisfy(bucket -> assertThat(bucket.getCount()).isPositive());
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }
}
