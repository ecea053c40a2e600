package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointRunBundlerTest {

    private static Observation point(String series, String type, long seconds, Object value) {
        return new Observation(
                "temp{s=" + series + "}",
                "temp",
                Map.of("s", series),
                type,
                (1_764_000_000L + seconds) * 1_000_000L,
                value,
                Origin.MEASURED,
                null);
    }

    private static OneInputStreamOperatorTestHarness<Observation, PointRun> bundler(
            int maxPoints, long maxDelayMillis) throws Exception {
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new PointRunBundler(
                                new MiniBatch(maxPoints, Duration.ofMillis(maxDelayMillis))));
        harness.open();
        return harness;
    }

    private static List<PointRun> runs(OneInputStreamOperatorTestHarness<?, PointRun> harness) {
        return harness.extractOutputValues();
    }

    private static List<Object> values(PointRun run) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            values.add(run.point(i).getValue());
        }
        return values;
    }

    @Test
    void gathersEachSeriesPointsInOrderUntilMaxPointsAreHeld() throws Exception {
        try (var harness = bundler(5, 60_000)) {
            harness.processElement(new StreamRecord<>(point("a", "tdouble", 1, 1.0)));
            harness.processElement(new StreamRecord<>(point("b", "tdouble", 1, 10.0)));
            harness.processElement(new StreamRecord<>(point("a", "tdouble", 3, 3.0)));
            harness.processElement(new StreamRecord<>(point("a", "tdouble", 2, 2.0)));
            assertThat(runs(harness)).isEmpty();
            harness.processElement(new StreamRecord<>(point("b", "tdouble", 2, 20.0)));

            List<PointRun> runs = runs(harness);
            assertThat(runs).hasSize(2);
            Map<String, PointRun> bySeries = new LinkedHashMap<>();
            runs.forEach(run -> bySeries.put(run.seriesKey(), run));
            assertThat(values(bySeries.get("temp{s=a}"))).containsExactly(1.0, 3.0, 2.0);
            assertThat(bySeries.get("temp{s=a}").point(1)).isEqualTo(point("a", "tdouble", 3, 3.0));
            assertThat(values(bySeries.get("temp{s=b}"))).containsExactly(10.0, 20.0);
        }
    }

    /** The rollup admits new series up to its limit in arrival order, so runs must keep it. */
    @Test
    void runsLeaveInTheOrderOfTheirSeriesFirstPoint() throws Exception {
        try (var harness = bundler(100, 60_000)) {
            List<String> arrival = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String series = "z" + (40 - i) + "-" + (i * 7919 % 97);
                arrival.add("temp{s=" + series + "}");
                harness.processElement(new StreamRecord<>(point(series, "tdouble", i, 1.0 * i)));
                harness.processElement(new StreamRecord<>(point(series, "tdouble", i + 60, 2.0)));
            }
            harness.prepareSnapshotPreBarrier(1);
            assertThat(runs(harness)).extracting(PointRun::seriesKey).isEqualTo(arrival);
        }
    }

    @Test
    void aPointOfAnotherTypeSendsItsSeriesRunFirst() throws Exception {
        try (var harness = bundler(100, 60_000)) {
            harness.processElement(new StreamRecord<>(point("a", "tdouble", 1, 1.0)));
            harness.processElement(new StreamRecord<>(point("a", "tlong", 2, 2L)));
            assertThat(runs(harness)).extracting(PointRun::size).containsExactly(1);
            harness.processElement(new StreamRecord<>(point("a", "tlong", 3, 3L)));
            harness.prepareSnapshotPreBarrier(1);
            assertThat(runs(harness)).hasSize(2);
            assertThat(values(runs(harness).get(1))).containsExactly(2L, 3L);
        }
    }

    @Test
    void holdsNothingAcrossACheckpointAWatermarkTheDelayOrTheEndOfTheInput() throws Exception {
        try (var harness = bundler(100, 200)) {
            harness.setProcessingTime(0);
            harness.processElement(new StreamRecord<>(point("a", "tdouble", 1, 1.0)));
            harness.prepareSnapshotPreBarrier(1);
            assertThat(harness.snapshot(1, 1).getManagedOperatorState()).isEmpty();
            assertThat(runs(harness)).hasSize(1);

            harness.processElement(new StreamRecord<>(point("a", "tdouble", 2, 2.0)));
            harness.setProcessingTime(199);
            assertThat(runs(harness)).hasSize(1);
            harness.setProcessingTime(200);
            assertThat(runs(harness)).hasSize(2);

            harness.processElement(new StreamRecord<>(point("a", "tdouble", 3, 3.0)));
            harness.processWatermark(new Watermark(5));
            assertThat(harness.getOutput()).hasSize(4); // three runs and the watermark
            assertThat(harness.getOutput().toArray()[3]).isEqualTo(new Watermark(5));

            harness.processElement(new StreamRecord<>(point("a", "tdouble", 4, 4.0)));
            harness.endInput();
            assertThat(runs(harness)).hasSize(4);
        }
    }

    /**
     * Sends one point of each of {@code series} series at {@code seconds}; returns the runs sent.
     */
    private static int sendOnePointEach(
            OneInputStreamOperatorTestHarness<Observation, PointRun> harness,
            int series,
            long seconds)
            throws Exception {
        int before = runs(harness).size();
        for (int i = 0; i < series; i++) {
            harness.processElement(new StreamRecord<>(point("s" + i, "tdouble", seconds, 1.0 * i)));
        }
        return runs(harness).size() - before;
    }

    private static long sentAlone(OneInputStreamOperatorTestHarness<?, ?> harness) {
        return harness.getOperator() instanceof PointRunBundler bundler
                ? bundler.pointsSentAlone()
                : -1;
    }

    @Test
    void runsOfSinglePointsTurnGatheringOffForAWhileThenItIsTriedAgain() throws Exception {
        int maxPoints = PointRunBundler.JUDGED_FROM;
        try (var harness = bundler(maxPoints, 60_000)) {
            // As many series as points held: every run is one point.
            assertThat(sendOnePointEach(harness, maxPoints, 1)).isEqualTo(maxPoints);
            assertThat(sentAlone(harness)).isZero();

            // Now each point goes alone, as it arrives, for ALONE_FOR times maxPoints points.
            long alone = (long) PointRunBundler.ALONE_FOR * maxPoints;
            for (long sent = 0; sent < alone; sent += maxPoints) {
                assertThat(sendOnePointEach(harness, maxPoints, 2)).isEqualTo(maxPoints);
            }
            assertThat(sentAlone(harness)).isEqualTo(alone);
            assertThat(runs(harness)).allSatisfy(run -> assertThat(run.size()).isEqualTo(1));

            // Then it gathers again: a series' points make one run.
            int before = runs(harness).size();
            for (int i = 0; i < maxPoints; i++) {
                harness.processElement(new StreamRecord<>(point("a", "tdouble", i, 1.0 * i)));
            }
            assertThat(runs(harness).subList(before, runs(harness).size()))
                    .extracting(PointRun::size)
                    .containsExactly(maxPoints);
            assertThat(sentAlone(harness)).isEqualTo(alone);
        }
    }

    @Test
    void runsOfTwoPointsOrMoreKeepGathering() throws Exception {
        int maxPoints = PointRunBundler.JUDGED_FROM;
        try (var harness = bundler(maxPoints, 60_000)) {
            for (int round = 0; round < 3; round++) {
                // Half as many series as points held: runs of two points.
                sendOnePointEach(harness, maxPoints / 2, 2L * round);
                sendOnePointEach(harness, maxPoints / 2, 2L * round + 1);
            }
            assertThat(runs(harness)).hasSize(3 * maxPoints / 2);
            assertThat(runs(harness)).allSatisfy(run -> assertThat(run.size()).isEqualTo(2));
            assertThat(sentAlone(harness)).isZero();
        }
    }

    @Test
    void fewPointsSentAtACheckpointOrAfterTheDelayAreNotJudged() throws Exception {
        try (var harness = bundler(PointRunBundler.JUDGED_FROM * 10, 200)) {
            harness.setProcessingTime(0);
            sendOnePointEach(harness, PointRunBundler.JUDGED_FROM - 1, 1);
            harness.prepareSnapshotPreBarrier(1);
            sendOnePointEach(harness, 10, 2);
            harness.setProcessingTime(200);
            assertThat(runs(harness)).hasSize(PointRunBundler.JUDGED_FROM - 1 + 10);

            harness.processElement(new StreamRecord<>(point("a", "tdouble", 3, 3.0)));
            harness.processElement(new StreamRecord<>(point("a", "tdouble", 4, 4.0)));
            harness.endInput();
            assertThat(runs(harness).get(runs(harness).size() - 1).size()).isEqualTo(2);
            assertThat(sentAlone(harness)).isZero();
        }
    }

    /**
     * One reproducible sequence per seed: five series, points out of order, repeated timestamps,
     * type changes, processing time jumping past the idle delay. Rolled up one point at a time, and
     * gathered into runs by the bundler (sent at each jump of processing time), every series gets
     * the same buckets, revisions, late points and refusals in the same order.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void runsRollUpExactlyAsTheirPointsOneByOne(long seed) throws Exception {
        Random random = new Random(seed);
        List<Object> inputs = new ArrayList<>(); // points, and Long for processing time
        long base = 0;
        for (int i = 0; i < 3_000; i++) {
            String series = "" + random.nextInt(5);
            String type = random.nextInt(40) == 0 ? "tbool" : "tdouble";
            Object value = type.equals("tbool") ? random.nextBoolean() : random.nextInt(100) * 1.0;
            long at = base + random.nextInt(240) - (random.nextInt(10) == 0 ? 400 : 0);
            inputs.add(point(series, type, at, value));
            base += random.nextInt(4);
            if (random.nextInt(100) == 0) {
                inputs.add((long) (i * 1_000 + (random.nextBoolean() ? 3_600_000 : 10_000)));
            }
        }

        Outcome oneByOne = rollUp(inputs, false);
        Outcome inRuns = rollUp(inputs, true);
        assertThat(inRuns.runs).isLessThan(inRuns.points / 2);
        assertThat(oneByOne.buckets).isNotEmpty();
        assertThat(oneByOne.refused).isNotEmpty();
        assertThat(inRuns.buckets).isEqualTo(oneByOne.buckets);
        assertThat(inRuns.tooLate).isEqualTo(oneByOne.tooLate);
        assertThat(inRuns.refused).isEqualTo(oneByOne.refused);
    }

    private record Outcome(
            Map<String, List<Aggregation>> buckets,
            Map<String, List<Observation>> tooLate,
            List<String> refused,
            int points,
            int runs) {}

    private static Outcome rollUp(List<Object> inputs, boolean inRuns) throws Exception {
        RollupRules rules = RulesYaml.rules("{name: counters, metric: 'temp', counter: true}");
        SeriesRollup rollup =
                new SeriesRollup(
                        List.of(
                                new RollupLevel(Interval.parse("1m"), Duration.ofMinutes(2)),
                                new RollupLevel(Interval.parse("1h"), Duration.ofMinutes(5))),
                        rules,
                        new SeriesTiming(
                                Duration.ofSeconds(30),
                                Duration.ofMinutes(1),
                                Duration.ofHours(2)));
        int points = 0;
        int runs = 0;
        try (var harness =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                rollup.operator(), PointRun::seriesKey, Types.STRING);
                var bundler = bundler(Integer.MAX_VALUE, Long.MAX_VALUE / 2)) {
            harness.open();
            harness.setProcessingTime(0);
            for (Object input : inputs) {
                if (input instanceof Long now) {
                    if (inRuns) {
                        runs += send(bundler, harness);
                    }
                    harness.setProcessingTime(now);
                    continue;
                }
                Observation point = (Observation) input;
                points++;
                if (inRuns) {
                    bundler.processElement(new StreamRecord<>(point));
                } else {
                    harness.processElement(new StreamRecord<>(PointRun.of(point)));
                }
            }
            runs += inRuns ? send(bundler, harness) : 0;
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
            return new Outcome(
                    bySeries(harness.extractOutputValues(), Aggregation::getSeriesKey),
                    bySeries(
                            values(harness.getSideOutput(SeriesRollup.TOO_LATE)),
                            Observation::getSeriesKey),
                    values(harness.getSideOutput(SeriesRollup.REFUSED)).stream()
                            .map(PointRunBundlerTest::describe)
                            .sorted()
                            .toList(),
                    points,
                    runs);
        }
    }

    /** Sends what the bundler holds through the rollup; returns how many runs that was. */
    private static int send(
            OneInputStreamOperatorTestHarness<Observation, PointRun> bundler,
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness)
            throws Exception {
        bundler.prepareSnapshotPreBarrier(0);
        List<PointRun> runs = bundler.extractOutputValues();
        bundler.getOutput().clear();
        for (PointRun run : runs) {
            harness.processElement(new StreamRecord<>(run));
        }
        return runs.size();
    }

    private static <T> List<T> values(java.util.Collection<StreamRecord<T>> records) {
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static <T> Map<String, List<T>> bySeries(List<T> items, Function<T, String> series) {
        Map<String, List<T>> grouped = new java.util.TreeMap<>();
        for (T item : items) {
            grouped.computeIfAbsent(series.apply(item), key -> new ArrayList<>()).add(item);
        }
        return grouped;
    }

    private static String describe(Rejected rejected) {
        return rejected.getReason()
                + " "
                + rejected.getMessage()
                + " "
                + java.nio.charset.StandardCharsets.UTF_8.decode(
                        rejected.getOriginal().duplicate());
    }
}
