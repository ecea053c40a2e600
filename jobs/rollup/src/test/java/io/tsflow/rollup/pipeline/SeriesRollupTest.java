package io.tsflow.rollup.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.aggregate.NumericStats;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.RawPoint;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesRollupTest {

    private static final RollupRules UTC = new RollupRules(List.of());
    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final Duration FORGET = Duration.ofMinutes(30);

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static Observation point(String instant, double value, Map<String, String> tags) {
        return new Observation(
                "temp" + tags,
                "temp",
                tags,
                "tdouble",
                millis(instant) * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    private static SeriesRollup rollup(
            List<RollupLevel> levels, RollupRules rules, Duration outOfOrderness) {
        return new SeriesRollup(levels, rules, new SeriesTiming(outOfOrderness, IDLE, FORGET));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness(
            SeriesRollup rollup) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        rollup.operator(), PointRun::seriesKey, Types.STRING);
        harness.open();
        return harness;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness(
            Interval interval, Duration lateness, RollupRules rules, Duration outOfOrderness)
            throws Exception {
        return harness(rollup(List.of(new RollupLevel(interval, lateness)), rules, outOfOrderness));
    }

    /** Sends {@code observation} as the rollup receives it: a run through the shuffle's bytes. */
    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness,
            Observation observation)
            throws Exception {
        harness.processElement(new StreamRecord<>(ShuffledRuns.of(observation)));
    }

    private static void assertNothingLeft(
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness) {
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void firesOnTheSeriesOwnClockRevisesForLatePointsAndForgetsAfterTheLateness() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(2), UTC, Duration.ofSeconds(10))) {
            Map<String, String> tags = Map.of("room", "1");
            send(harness, point("2025-11-22T10:00:05Z", 1.0, tags));
            send(harness, point("2025-11-22T10:00:30Z", 2.0, tags));
            // 10 s of disorder allowed: a point at 10:01:09 does not close 10:00 yet.
            send(harness, point("2025-11-22T10:01:09Z", 10.0, tags));
            assertThat(harness.extractOutputValues()).isEmpty();
            send(harness, point("2025-11-22T10:01:10Z", 11.0, tags));

            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            Aggregation first = out.get(0);
            assertThat(first.getBucketStartMicros())
                    .isEqualTo(millis("2025-11-22T10:00:00Z") * 1000);
            assertThat(first.getBucketEndMicros()).isEqualTo(millis("2025-11-22T10:01:00Z") * 1000);
            assertThat(first.getCount()).isEqualTo(2);
            assertThat(first.getRevision()).isZero();
            assertThat(first.getNumeric().getSum()).isEqualTo(3.0);

            // Late but within the allowed lateness: the bucket is emitted again, revised.
            send(harness, point("2025-11-22T10:00:40Z", 4.0, tags));
            // A repeated timestamp with a changed value replaces the earlier point.
            send(harness, point("2025-11-22T10:00:30Z", 5.0, tags));
            out = harness.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(1).getRevision()).isEqualTo(1);
            assertThat(out.get(1).getCount()).isEqualTo(3);
            assertThat(out.get(2).getRevision()).isEqualTo(2);
            assertThat(out.get(2).getCount()).isEqualTo(3);
            assertThat(out.get(2).getNumeric().getSum()).isEqualTo(1.0 + 5.0 + 4.0);
            assertThat(out.get(2).getLast()).isEqualTo(4.0);

            // The series' clock passes 10:00's end plus the lateness: the bucket is gone, and a
            // point for it goes to the side output.
            send(harness, point("2025-11-22T10:03:10Z", 12.0, tags));
            send(harness, point("2025-11-22T10:00:50Z", 9.0, tags));
            assertThat(harness.getSideOutput(SeriesRollup.TOO_LATE))
                    .extracting(StreamRecord::getValue)
                    .extracting(Observation::getValue)
                    .containsExactly(9.0);
            out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(Aggregation::getBucketStartMicros)
                    .containsExactly(
                            millis("2025-11-22T10:00:00Z") * 1000,
                            millis("2025-11-22T10:00:00Z") * 1000,
                            millis("2025-11-22T10:00:00Z") * 1000,
                            millis("2025-11-22T10:01:00Z") * 1000);

            // The end of the input closes the open bucket, and nothing of the series is left.
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .last()
                    .satisfies(
                            bucket ->
                                    assertThat(bucket.getBucketStartMicros())
                                            .isEqualTo(millis("2025-11-22T10:03:00Z") * 1000));
            assertNothingLeft(harness);
        }
    }

    @Test
    void theEndOfTheInputClosesEverySeriesWithoutAnEventTimeTimerPerSeries() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(2), UTC, Duration.ofSeconds(10))) {
            for (int room = 1; room <= 3; room++) {
                send(harness, point("2025-11-22T10:00:05Z", room, Map.of("room", "" + room)));
                send(harness, point("2025-11-22T10:00:20Z", 10 * room, Map.of("room", "" + room)));
            }
            // Each series holds one processing-time timer (silence) and no event-time timer.
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(3);
            assertThat(harness.extractOutputValues()).isEmpty();

            // The end of the input (or a stop with drain) reaches every series, without a
            // watermark.
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .extracting(bucket -> bucket.getTagset().get("room"), Aggregation::getCount)
                    .containsExactlyInAnyOrder(tuple("1", 2L), tuple("2", 2L), tuple("3", 2L));
            assertNothingLeft(harness);
        }
    }

    @Test
    void aSeriesFarAheadNeitherClosesNorMakesLateAnotherSeriesBuckets() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(1), UTC, Duration.ZERO)) {
            Map<String, String> live = Map.of("room", "live");
            Map<String, String> gateway = Map.of("room", "buffered");
            // One series streams two hours before another's buffered points arrive.
            for (int minute = 0; minute < 120; minute++) {
                send(
                        harness,
                        point(
                                Instant.parse("2025-11-22T10:00:30Z")
                                        .plusSeconds(60L * minute)
                                        .toString(),
                                minute,
                                live));
            }
            send(harness, point("2025-11-22T10:00:10Z", 1.0, gateway));
            send(harness, point("2025-11-22T10:00:50Z", 2.0, gateway));
            assertThat(harness.getSideOutput(SeriesRollup.TOO_LATE)).isNull();
            assertThat(harness.extractOutputValues())
                    .noneMatch(bucket -> bucket.getSeriesKey().contains("buffered"));
            send(harness, point("2025-11-22T10:01:00Z", 3.0, gateway));
            Aggregation gatewayMinute =
                    harness.extractOutputValues().stream()
                            .filter(bucket -> bucket.getSeriesKey().contains("buffered"))
                            .findFirst()
                            .orElseThrow();
            assertThat(gatewayMinute.getCount()).isEqualTo(2);
            assertThat(gatewayMinute.getNumeric().getSum()).isEqualTo(3.0);
        }
    }

    @Test
    void aSilentSeriesHasItsBucketsEmittedAfterTheIdleDelayAndIsForgottenLater() throws Exception {
        List<RollupLevel> levels =
                List.of(
                        RollupLevel.of("1m", Duration.ofMinutes(1)),
                        RollupLevel.of("1h", Duration.ofMinutes(5)));
        try (var harness = harness(rollup(levels, UTC, Duration.ofSeconds(5)))) {
            Map<String, String> tags = Map.of("room", "3");
            harness.setProcessingTime(1_000);
            send(harness, point("2025-11-22T10:00:10Z", 1.0, tags));
            send(harness, point("2025-11-22T10:00:20Z", 2.0, tags));
            harness.setProcessingTime(1_000 + IDLE.toMillis() - 1);
            assertThat(harness.extractOutputValues()).isEmpty();

            // Idle: the open minute and hour are emitted as they stand.
            harness.setProcessingTime(1_000 + IDLE.toMillis());
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).extracting(Aggregation::getInterval).containsExactly("1m", "1h");
            assertThat(out).allMatch(bucket -> bucket.getCount() == 2 && bucket.getRevision() == 0);
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

            // The gateway comes back with what it buffered: the buckets are revised, exactly.
            harness.setProcessingTime(10 * 60_000);
            send(harness, point("2025-11-22T10:00:40Z", 3.0, tags));
            send(harness, point("2025-11-22T10:01:30Z", 4.0, tags));
            out = harness.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(2).getInterval()).isEqualTo("1m");
            assertThat(out.get(2).getRevision()).isEqualTo(1);
            assertThat(out.get(2).getCount()).isEqualTo(3);

            // Silent again: the changed hour and the new minute are emitted; nothing unchanged is.
            harness.setProcessingTime(10 * 60_000 + IDLE.toMillis());
            out = harness.extractOutputValues();
            assertThat(out.subList(3, out.size()))
                    .extracting(Aggregation::getInterval, Aggregation::getRevision)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("1m", 0),
                            org.assertj.core.groups.Tuple.tuple("1h", 1));
            assertThat(out.get(4).getCount()).isEqualTo(4);

            // Silent for forgetAfter: state and every timer are gone, with no further output.
            harness.setProcessingTime(10 * 60_000 + FORGET.toMillis());
            assertThat(harness.extractOutputValues()).hasSize(5);
            assertNothingLeft(harness);
        }
    }

    @Test
    void afterARestoreSilenceCountsFromTheRestoreNotFromTheLastPoint() throws Exception {
        List<RollupLevel> levels = List.of(RollupLevel.of("1m", Duration.ofMinutes(1)));
        Map<String, String> tags = Map.of("room", "4");
        OperatorSubtaskState snapshot;
        try (var harness = harness(rollup(levels, UTC, Duration.ZERO))) {
            harness.setProcessingTime(1_000);
            send(harness, point("2025-11-22T10:00:10Z", 1.0, tags));
            snapshot = harness.snapshot(1, 2_000);
        }
        KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        rollup(levels, UTC, Duration.ZERO).operator(),
                        PointRun::seriesKey,
                        Types.STRING);
        try (restored) {
            restored.setProcessingTime(3_600_000); // an hour of downtime
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(3_600_001); // the overdue timer fires
            assertThat(restored.extractOutputValues()).isEmpty();
            // The backlog arrives in time: the bucket closes on the series' clock, once.
            send(restored, point("2025-11-22T10:00:40Z", 2.0, tags));
            send(restored, point("2025-11-22T10:01:00Z", 3.0, tags));
            assertThat(restored.extractOutputValues())
                    .singleElement()
                    .satisfies(bucket -> assertThat(bucket.getCount()).isEqualTo(2));
            restored.setProcessingTime(3_600_001 + IDLE.toMillis());
            assertThat(restored.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void dailyBucketsFollowTheZoneNamedByTheSeriesTag() throws Exception {
        RollupRules rules =
                new RollupRules(
                        List.of(RulesYaml.rule("{name: by-site, metric: temp, zoneTag: tz}")));
        try (var harness = harness(Interval.parse("1d"), Duration.ZERO, rules, Duration.ZERO)) {
            Map<String, String> brussels = Map.of("tz", "Europe/Brussels");
            // 23:30 UTC on 2025-10-25 is already 01:30 on the 26th in Brussels: the 25-hour day.
            send(harness, point("2025-10-25T23:30:00Z", 1.0, brussels));
            send(harness, point("2025-10-26T22:59:00Z", 2.0, brussels));
            send(harness, point("2025-10-26T23:00:00Z", 3.0, brussels));
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            Aggregation day = out.get(0);
            assertThat(day.getTimeZone()).isEqualTo("Europe/Brussels");
            assertThat(day.getBucketStartMicros()).isEqualTo(millis("2025-10-25T22:00:00Z") * 1000);
            assertThat(day.getBucketEndMicros() - day.getBucketStartMicros())
                    .isEqualTo(Duration.ofHours(25).toNanos() / 1000);
            assertThat(day.getCount()).isEqualTo(2);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertNothingLeft(harness);
        }
    }

    @Test
    void eachLevelMergesTheBucketsBelowItAndFiresOncePerJumpOfTheClock() throws Exception {
        List<RollupLevel> levels =
                List.of(
                        RollupLevel.of("1m", Duration.ofMinutes(1)),
                        RollupLevel.of("1h", Duration.ofMinutes(5)));
        try (var harness = harness(rollup(levels, UTC, Duration.ofHours(2)))) {
            Map<String, String> tags = Map.of("room", "2");
            // Two points in each of the first 30 minutes of 10:00, one at 11:00; the disorder
            // allowed (2 h) keeps them all open.
            for (int minute = 0; minute < 30; minute++) {
                String at = String.format("2025-11-22T10:%02d:", minute);
                send(harness, point(at + "10Z", minute, tags));
                send(harness, point(at + "40Z", 100 + minute, tags));
            }
            send(harness, point("2025-11-22T11:00:00Z", 7.0, tags));
            assertThat(harness.extractOutputValues()).isEmpty();
            // One point moves the series' clock past all of 10:00 (not the 11:00 minute): 30
            // minutes, then exactly one hour, no revisions.
            send(harness, point("2025-11-22T13:00:30Z", 8.0, tags));
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(31);
            assertThat(out.subList(0, 30)).allMatch(bucket -> bucket.getInterval().equals("1m"));
            Aggregation hour = out.get(30);
            assertThat(hour.getInterval()).isEqualTo("1h");
            assertThat(hour.getRevision()).isZero();
            assertThat(hour.getCount()).isEqualTo(60);
            assertThat(hour.getFirst()).isEqualTo(0.0);
            assertThat(hour.getLast()).isEqualTo(129.0);
            assertThat(hour.getNumeric().getMax()).isEqualTo(129.0);

            harness.processWatermark(new Watermark(Long.MAX_VALUE));

            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getInterval)
                    .endsWith("1h", "1m", "1m", "1h", "1h");
            assertNothingLeft(harness);
        }
    }

    private static final List<RollupLevel> MINUTE_AND_HOUR =
            List.of(
                    RollupLevel.of("1m", Duration.ofMinutes(1)),
                    RollupLevel.of("1h", Duration.ofMinutes(5)));

    /** Three minutes of a series, four points each, rolled up to the end under {@code rules}. */
    private static List<Aggregation> threeMinutesRolledUp(RollupRules rules) throws Exception {
        try (var harness = harness(rollup(MINUTE_AND_HOUR, rules, Duration.ZERO))) {
            Map<String, String> tags = Map.of("room", "3");
            for (int minute = 0; minute < 3; minute++) {
                for (int second = 0; second < 60; second += 15) {
                    String at = String.format("2025-11-22T10:%02d:%02dZ", minute, second);
                    send(harness, point(at, minute * 10 + second / 15.0, tags));
                }
            }
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertNothingLeft(harness);
            return new ArrayList<>(harness.extractOutputValues());
        }
    }

    @Test
    void aRuleThatPublishesNoSketchLeavesItOutAndTheHourStillMergesTheMinutesSketches()
            throws Exception {
        List<Aggregation> full = threeMinutesRolledUp(UTC);
        List<Aggregation> withoutSketch =
                threeMinutesRolledUp(
                        new RollupRules(List.of(RulesYaml.rule("{name: lean, sketch: false}"))));
        assertThat(withoutSketch).hasSameSizeAs(full).hasSize(4);
        for (int i = 0; i < full.size(); i++) {
            assertThat(full.get(i).getNumeric().getSketch()).isNotNull();
            assertThat(withoutSketch.get(i).getNumeric().getSketch()).isNull();
            assertThat(withoutSketch.get(i).getNumeric().getQuantiles())
                    .isEqualTo(full.get(i).getNumeric().getQuantiles())
                    .isNotEmpty();
        }
        assertThat(withoutSketch.get(3).getInterval()).isEqualTo("1h");
        assertThat(withoutSketch.get(3).getCount()).isEqualTo(12);
    }

    @Test
    void aRuleWithoutQuantilesOrSketchGivesEveryOtherStatisticUnchanged() throws Exception {
        List<Aggregation> full = threeMinutesRolledUp(UTC);
        List<Aggregation> lean =
                threeMinutesRolledUp(
                        new RollupRules(
                                List.of(
                                        RulesYaml.rule(
                                                "{name: lean, quantiles: [], sketch: false}"))));
        assertThat(lean).hasSameSizeAs(full).hasSize(4);
        for (int i = 0; i < full.size(); i++) {
            Aggregation want = full.get(i);
            Aggregation got = lean.get(i);
            assertThat(got.getNumeric().getQuantiles()).isEmpty();
            assertThat(got.getNumeric().getSketch()).isNull();
            got.getNumeric().setQuantiles(want.getNumeric().getQuantiles());
            got.getNumeric().setSketch(want.getNumeric().getSketch());
            assertThat(got).as("bucket %d, the rest", i).isEqualTo(want);
        }
    }

    /**
     * A rule that starts asking for quantiles across a restart: minutes are built from their points
     * when they close, so each minute closed after the restore has them; the hour merges a minute
     * stored without a sketch, so it reports none rather than quantiles over part of its points.
     */
    @Test
    void quantilesAskedForAfterARestoreComeWithEveryBucketThatHoldsAllItsPointsSketched()
            throws Exception {
        Map<String, String> tags = Map.of("room", "5");
        RollupRules lean =
                new RollupRules(
                        List.of(RulesYaml.rule("{name: lean, quantiles: [], sketch: false}")));
        OperatorSubtaskState snapshot;
        try (var harness = harness(rollup(MINUTE_AND_HOUR, lean, Duration.ZERO))) {
            for (String at : List.of("10:00:00", "10:00:20", "10:00:40", "10:01:00")) {
                send(harness, point("2025-11-22T" + at + "Z", 1.0, tags));
            }
            assertThat(harness.extractOutputValues())
                    .singleElement()
                    .satisfies(minute -> assertThat(minute.getNumeric().getQuantiles()).isEmpty());
            snapshot = harness.snapshot(1, 1);
        }
        var restored =
                new KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation>(
                        rollup(MINUTE_AND_HOUR, UTC, Duration.ZERO).operator(),
                        PointRun::seriesKey,
                        Types.STRING);
        try (restored) {
            restored.initializeState(snapshot);
            restored.open();
            for (String at : List.of("10:01:20", "10:01:40", "10:02:00")) {
                send(restored, point("2025-11-22T" + at + "Z", 2.0, tags));
            }
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            restored.endInput();

            List<Aggregation> out = restored.extractOutputValues();
            assertThat(out)
                    .extracting(Aggregation::getInterval, Aggregation::getCount)
                    .containsExactly(tuple("1m", 3L), tuple("1m", 1L), tuple("1h", 7L));
            assertThat(out.get(0).getNumeric().getQuantiles().get("p50"))
                    .isCloseTo(2.0, within(2.0 * NumericStats.SKETCH_RELATIVE_ACCURACY));
            assertThat(out.get(1).getNumeric().getSketch()).isNotNull();
            Aggregation hour = out.get(2);
            assertThat(hour.getNumeric().getSum()).isEqualTo(3 * 1.0 + (1.0 + 2 * 2.0) + 2.0);
            assertThat(hour.getNumeric().getQuantiles()).isEmpty();
            assertThat(hour.getNumeric().getSketch()).isNull();
            assertNothingLeft(restored);
        }
    }

    @Test
    void aLatePointRevisesItsMinuteAndTheRevisionFlowsUp() throws Exception {
        List<RollupLevel> levels =
                List.of(
                        RollupLevel.of("1m", Duration.ofMinutes(1)),
                        RollupLevel.of("1h", Duration.ofMinutes(5)));
        try (var harness = harness(rollup(levels, UTC, Duration.ZERO))) {
            Map<String, String> tags = Map.of("room", "5");
            send(harness, point("2025-11-22T10:59:10Z", 1.0, tags));
            send(harness, point("2025-11-22T11:00:30Z", 2.0, tags));
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getInterval)
                    .containsExactly("1m", "1h");
            send(harness, point("2025-11-22T10:59:59Z", 500.0, tags));
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(4);
            assertThat(out.get(2).getInterval()).isEqualTo("1m");
            assertThat(out.get(2).getRevision()).isEqualTo(1);
            assertThat(out.get(3).getInterval()).isEqualTo("1h");
            assertThat(out.get(3).getRevision()).isEqualTo(1);
            assertThat(out.get(3).getCount()).isEqualTo(2);
            assertThat(out.get(3).getLast()).isEqualTo(500.0);
        }
    }

    /**
     * A minute stored for its hour waits in memory until the series' call is done: written then if
     * its hour stays open (a restore finds it), never if the hour closes in the same call, and
     * deleted with the hour even when that call revised it after an earlier one had written it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void minutesStoredForAnHourReachStateOnlyWhileTheHourStaysOpen(String backend)
            throws Exception {
        Map<String, String> tags = Map.of("room", "6");
        long idleAt = 1_000 + IDLE.toMillis();
        OperatorSubtaskState afterIdle;
        try (var harness =
                RollupHarness.open(rollup(MINUTE_AND_HOUR, UTC, Duration.ZERO), backend, null)) {
            harness.setProcessingTime(1_000);
            send(harness, point("2025-11-22T10:00:10Z", 1.0, tags));
            send(harness, point("2025-11-22T10:01:10Z", 2.0, tags));
            // 10:00 fired, and is in state for the hour, which stays open.
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getInterval)
                    .containsExactly("1m");
            assertThat(StateKeys.keysIn(harness, "lower-buckets-1h")).hasSize(1);
            // Silent: 10:01 and the hour are emitted as they stand, and 10:01 is stored too.
            harness.setProcessingTime(idleAt);
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getInterval)
                    .containsExactly("1m", "1m", "1h");
            afterIdle = harness.snapshot(1, 1);
        }
        try (var harness =
                RollupHarness.open(
                        rollup(MINUTE_AND_HOUR, UTC, Duration.ZERO), backend, afterIdle)) {
            harness.setProcessingTime(idleAt);
            // A late point revises 10:00; silent again, the hour merges it with 10:01, which only
            // the restored state holds.
            send(harness, point("2025-11-22T10:00:50Z", 3.0, tags));
            harness.setProcessingTime(idleAt + IDLE.toMillis());
            assertThat(harness.extractOutputValues())
                    .extracting(
                            Aggregation::getInterval,
                            Aggregation::getRevision,
                            Aggregation::getCount)
                    .containsExactly(tuple("1m", 1, 2L), tuple("1h", 1, 3L));
            // A point changes 10:01 without firing it; the end of the input revises 10:01, which
            // is in state already, and closes the hour in the same call.
            send(harness, point("2025-11-22T10:01:40Z", 4.0, tags));
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out.subList(2, out.size()))
                    .extracting(
                            Aggregation::getInterval,
                            Aggregation::getRevision,
                            Aggregation::getCount)
                    .containsExactly(tuple("1m", 1, 2L), tuple("1h", 2, 4L));
            Aggregation hour = out.get(out.size() - 1);
            assertThat(hour.getNumeric().getSum()).isEqualTo(10.0);
            assertThat(hour.getLast()).isEqualTo(4.0);
            for (String state :
                    List.of("series-progress", "lower-buckets-1h", "bucket-inputs-1m")) {
                assertThat(StateKeys.keysIn(harness, state)).as(state).isEmpty();
            }
            assertThat(harness.numProcessingTimeTimers()).isZero();
            if (backend.equals("hashmap")) {
                assertNothingLeft(harness); // every state: RocksDB cannot count them
            }
        }
    }

    @Test
    void recordsAndStateUseAvroOrPojosNotKryo() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(Aggregation.class))
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(Observation.class))
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeriesProgress.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(OpenBuckets.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(NewestBucketPoints.class);
    }

    /** The latest revision of every bucket, by interval and start: what a reader keeps. */
    private static Map<String, Aggregation> latestRevisions(List<Aggregation> emitted) {
        Map<String, Aggregation> latest = new TreeMap<>();
        for (Aggregation bucket : emitted) {
            latest.merge(
                    bucket.getInterval() + "@" + bucket.getBucketStartMicros(),
                    bucket,
                    (known, next) -> next.getRevision() > known.getRevision() ? next : known);
        }
        return latest;
    }

    private static List<Aggregation> rollUpAll(List<RollupLevel> levels, List<Observation> points)
            throws Exception {
        try (var harness = harness(rollup(levels, UTC, Duration.ofSeconds(10)))) {
            for (Observation point : points) {
                send(harness, point);
            }
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertThat(harness.getSideOutput(SeriesRollup.TOO_LATE)).isNullOrEmpty();
            assertNothingLeft(harness);
            return harness.extractOutputValues();
        }
    }

    /**
     * With a point every 7 s, a series' open minutes keep their points in its progress; with one
     * every second, they hold more than it keeps, and the older minutes' points move to the level's
     * state, where late points then find them.
     */
    @ParameterizedTest
    @CsvSource({"7000, 200, 12", "1000, 600, 90"})
    void pointsOutOfOrderAcrossBucketsGiveTheSameFinalBucketsAsInOrder(
            long spacingMillis, int pointCount, int mostPlacesLate) throws Exception {
        List<RollupLevel> levels =
                List.of(
                        RollupLevel.of("1m", Duration.ofMinutes(3)),
                        RollupLevel.of("1h", Duration.ofMinutes(5)));
        Map<String, String> tags = Map.of("room", "7");
        long start = millis("2025-11-22T10:50:00Z");
        List<Observation> inOrder = new ArrayList<>();
        for (int i = 0; i < pointCount; i++) {
            Instant at = Instant.ofEpochMilli(start + i * spacingMillis);
            inOrder.add(point(at.toString(), i % 13, tags));
        }
        // Each point arrives up to 84 s or 90 s late: beyond the 10 s of disorder allowed, so
        // buckets fire early and are revised, and points land in buckets older and newer than
        // the one the series is filling. Within the 3 minutes of lateness, so nothing is too late.
        Random random = new Random(7);
        double[] arrival = new double[inOrder.size()];
        for (int i = 0; i < arrival.length; i++) {
            arrival[i] = i + random.nextInt(mostPlacesLate + 1);
        }
        List<Observation> shuffled = new ArrayList<>(inOrder);
        shuffled.sort(
                Comparator.comparingDouble(
                        point -> arrival[inOrder.indexOf(point)] + 1e-6 * inOrder.indexOf(point)));
        assertThat(shuffled).isNotEqualTo(inOrder);

        Map<String, Aggregation> expected = latestRevisions(rollUpAll(levels, inOrder));
        List<Aggregation> emitted = rollUpAll(levels, shuffled);
        assertThat(emitted).anyMatch(bucket -> bucket.getRevision() > 0);
        Map<String, Aggregation> actual = latestRevisions(emitted);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String bucket : expected.keySet()) {
            Aggregation want = expected.get(bucket);
            Aggregation got = actual.get(bucket);
            assertThat(got.getCount()).as(bucket).isEqualTo(want.getCount());
            assertThat(got.getNumeric().getSum()).as(bucket).isEqualTo(want.getNumeric().getSum());
            assertThat(got.getNumeric().getMin()).as(bucket).isEqualTo(want.getNumeric().getMin());
            assertThat(got.getNumeric().getMax()).as(bucket).isEqualTo(want.getNumeric().getMax());
            assertThat(got.getFirst()).as(bucket).isEqualTo(want.getFirst());
            assertThat(got.getLast()).as(bucket).isEqualTo(want.getLast());
        }
    }

    /**
     * A series that sends a point every 10 s has every minute open for the default 5 minutes of
     * lateness in its progress, revised there too; one that sends every second holds more points
     * than the progress keeps, so its older minutes move to the level's state, and a late point
     * revises them from there. Both leave nothing behind.
     */
    @Test
    void openMinutesKeepTheirPointsInTheProgressUntilTheyHoldTooMany() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(5), UTC, Duration.ofSeconds(10))) {
            Map<String, String> sparse = Map.of("room", "sparse");
            Map<String, String> dense = Map.of("room", "dense");
            Instant start = Instant.parse("2025-11-22T10:00:00Z");
            for (int second = 0; second < 8 * 60; second++) {
                if (second % 10 == 0) {
                    send(harness, point(start.plusSeconds(second).toString(), 1.0, sparse));
                }
                send(harness, point(start.plusSeconds(second).toString(), 2.0, dense));
            }
            // At 10:07:59 (10:07:49 on the series' clock) the minutes from 10:02 on are open.
            assertThat(StateKeys.seriesIn(harness, "bucket-inputs-1m"))
                    .containsExactly("temp" + dense);

            // Late points for 10:03, a minute that fired at 10:04:10: one more point each.
            send(harness, point("2025-11-22T10:03:00.500Z", 5.0, sparse));
            send(harness, point("2025-11-22T10:03:00.500Z", 5.0, dense));
            List<Aggregation> revised =
                    harness.extractOutputValues().stream()
                            .filter(bucket -> bucket.getRevision() == 1)
                            .toList();
            assertThat(revised)
                    .extracting(
                            Aggregation::getSeriesKey,
                            Aggregation::getBucketStartMicros,
                            Aggregation::getCount,
                            bucket -> bucket.getNumeric().getSum())
                    .containsExactlyInAnyOrder(
                            tuple(
                                    "temp" + sparse,
                                    millis("2025-11-22T10:03:00Z") * 1000,
                                    7L,
                                    6 * 1.0 + 5.0),
                            tuple(
                                    "temp" + dense,
                                    millis("2025-11-22T10:03:00Z") * 1000,
                                    61L,
                                    60 * 2.0 + 5.0));
            assertThat(StateKeys.seriesIn(harness, "bucket-inputs-1m"))
                    .containsExactly("temp" + dense);

            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .filteredOn(bucket -> bucket.getRevision() == 0)
                    .extracting(Aggregation::getSeriesKey, Aggregation::getCount)
                    .containsOnly(tuple("temp" + sparse, 6L), tuple("temp" + dense, 60L))
                    .hasSize(16);
            assertNothingLeft(harness);
        }
    }

    /**
     * A rollup of levels 1m (2 minutes late) and 1h (5 minutes late), 10 s out of order, restored
     * from a snapshot in the test resources (written by an earlier build, as its test says).
     */
    private static KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> restored(
            String snapshot) throws Exception {
        List<RollupLevel> levels =
                List.of(
                        RollupLevel.of("1m", Duration.ofMinutes(2)),
                        RollupLevel.of("1h", Duration.ofMinutes(5)));
        OperatorSubtaskState written =
                OperatorSnapshotUtil.readStateHandle(
                        SeriesRollupTest.class
                                .getResource("/state/" + snapshot + ".snapshot")
                                .getPath());
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation>(
                        (rollup(levels, UTC, Duration.ofSeconds(10))).operator(),
                        PointRun::seriesKey,
                        Types.STRING);
        harness.initializeState(written);
        harness.open();
        return harness;
    }

    /**
     * State written by the version that kept every open minute's points in the level's own state
     * (the snapshot in the test resources was taken from it: a series with points at 10:00:05,
     * 10:00:30 and 10:01:05, nothing fired yet) restores, and its buckets come out exact.
     */
    @Test
    void stateWrittenWithEveryBucketsPointsInTheLevelStateRestoresExactly() throws Exception {
        try (var harness = restored("series-rollup-points-in-map-state")) {
            Map<String, String> tags = Map.of("room", "1");
            send(harness, point("2025-11-22T10:01:30Z", 20.0, tags));
            send(harness, point("2025-11-22T10:02:05Z", 30.0, tags));
            send(harness, point("2025-11-22T10:01:40Z", 5.0, tags));
            send(harness, point("2025-11-22T10:02:15Z", 40.0, tags));
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();

            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(Aggregation::getInterval, Aggregation::getCount)
                    .containsExactly(
                            tuple("1m", 2L), tuple("1m", 3L), tuple("1m", 2L), tuple("1h", 7L));
            assertThat(out)
                    .extracting(bucket -> bucket.getNumeric().getSum())
                    .containsExactly(3.0, 35.0, 70.0, 108.0);
            assertThat(out.get(0).getBucketStartMicros())
                    .isEqualTo(millis("2025-11-22T10:00:00Z") * 1000);
            assertNothingLeft(harness);
        }
    }

    /**
     * State written by the version that stored each minute for its hour as the published record
     * (the snapshot in the test resources was taken from it: points at 10:00:05, 10:00:30,
     * 10:01:05, 10:01:20 and 10:02:15, so minutes 10:00 and 10:01 had fired and were stored for the
     * hour) restores; a revision of a stored minute replaces its record, and the hour comes out
     * exact.
     */
    @Test
    void stateWrittenWithMinutesStoredAsRecordsRestoresExactly() throws Exception {
        try (var harness = restored("series-rollup-minutes-as-records")) {
            Map<String, String> tags = Map.of("room", "1");
            send(harness, point("2025-11-22T10:02:30Z", 6.0, tags));
            send(harness, point("2025-11-22T10:03:10Z", 7.0, tags));
            send(harness, point("2025-11-22T10:01:50Z", 8.0, tags)); // revises a stored minute
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();

            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(
                            Aggregation::getInterval,
                            Aggregation::getRevision,
                            Aggregation::getCount,
                            bucket -> bucket.getNumeric().getSum())
                    .containsExactly(
                            tuple("1m", 0, 2L, 11.0),
                            tuple("1m", 1, 3L, 15.0),
                            tuple("1m", 0, 1L, 7.0),
                            tuple("1h", 0, 8L, 36.0));
            Aggregation hour = out.get(3);
            assertThat(hour.getNumeric().getMin()).isEqualTo(1.0);
            assertThat(hour.getNumeric().getMax()).isEqualTo(8.0);
            assertThat(hour.getFirst()).isEqualTo(1.0);
            assertThat(hour.getLast()).isEqualTo(7.0);
            assertThat(hour.getNumeric().getMean()).isEqualTo(36.0 / 8);
            assertNothingLeft(harness);
        }
    }

    @Test
    void countersReportTheirIncreaseAndRate() throws Exception {
        RollupRules rules =
                new RollupRules(
                        List.of(RulesYaml.rule("{name: requests, metric: temp, counter: true}")));
        try (var harness = harness(Interval.parse("1m"), Duration.ZERO, rules, Duration.ZERO)) {
            Map<String, String> tags = Map.of("host", "a");
            send(harness, point("2025-11-22T10:00:00Z", 100.0, tags));
            send(harness, point("2025-11-22T10:00:20Z", 130.0, tags));
            send(harness, point("2025-11-22T10:00:40Z", 6.0, tags)); // restarted
            send(harness, point("2025-11-22T10:01:00Z", 7.0, tags));
            Aggregation minute = harness.extractOutputValues().get(0);
            assertThat(minute.getNumeric().getCounterIncrease()).isEqualTo(36.0);
            assertThat(minute.getNumeric().getCounterRatePerSecond()).isEqualTo(36.0 / 60);
        }
    }

    private static Observation typed(String instant, String type, Object value) {
        return new Observation(
                "temp{room=\"1\"}",
                "temp",
                Map.of("room", "1"),
                type,
                millis(instant) * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    private static List<Rejected> refused(
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness) {
        return harness.getSideOutput(SeriesRollup.REFUSED).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void aSeriesKeepsItsTypeFamilyWhileItHasOpenBucketsAndThenTakesTheNewType() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(2), UTC, Duration.ofSeconds(0))) {
            send(harness, typed("2025-11-22T10:00:05Z", "tdouble", 1.5));
            // tlong is numeric too: it aggregates with the doubles.
            send(harness, typed("2025-11-22T10:00:10Z", "tlong", 2L));
            // A bool and a text in the same minute: refused, and the job goes on.
            send(harness, typed("2025-11-22T10:00:20Z", "tbool", true));
            send(harness, typed("2025-11-22T10:00:30Z", "ttext", "on"));
            assertThat(refused(harness))
                    .extracting(Rejected::getReason)
                    .containsExactly("TYPE_CHANGED", "TYPE_CHANGED");
            assertThat(refused(harness).get(0).getMessage()).contains("tdouble", "tbool");
            assertThat(new String(refused(harness).get(1).getOriginal().array(), UTF_8))
                    .contains("\"on\"");

            // Refused points still move the series' clock: 10:01:00 closes 10:00 with the two
            // numeric points only.
            send(harness, typed("2025-11-22T10:01:00Z", "tbool", false));
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getCount()).isEqualTo(2);
            assertThat(out.get(0).getNumeric().getSum()).isEqualTo(3.5);

            // Once the old type's buckets are past their lateness (10:00 + 1m + 2m), the new type
            // starts over.
            send(harness, typed("2025-11-22T10:02:59Z", "tbool", true));
            assertThat(refused(harness)).hasSize(4);
            send(harness, typed("2025-11-22T10:03:00Z", "tbool", true));
            send(harness, typed("2025-11-22T10:03:10Z", "tbool", false));
            assertThat(refused(harness)).hasSize(4);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            Aggregation bools = harness.extractOutputValues().get(1);
            assertThat(bools.getType()).isEqualTo("tbool");
            assertThat(bools.getCount()).isEqualTo(2);
            assertThat(bools.getCountTrue()).isEqualTo(1);
            assertNothingLeft(harness);
        }
    }

    @Test
    void aBucketClosedBySilenceCarriesTheTypeOfItsSeriesNewestBucket() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(2), UTC, Duration.ofSeconds(0))) {
            harness.setProcessingTime(1_000);
            send(harness, typed("2025-11-22T10:00:05Z", "tdouble", 1.5));
            send(harness, typed("2025-11-22T10:00:50Z", "tdouble", 2.5));
            send(harness, typed("2025-11-22T10:01:05Z", "tlong", 2L));
            send(harness, typed("2025-11-22T10:01:10Z", "tlong", 3L));
            harness.setProcessingTime(1_000 + IDLE.toMillis());

            // The minute still open when the series fell silent is emitted from the timer, which
            // knows the series only by its stored identity.
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getBucketStartMicros, Aggregation::getType)
                    .last()
                    .isEqualTo(tuple(millis("2025-11-22T10:01:00Z") * 1000, "tlong"));
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertNothingLeft(harness);
        }
    }

    @Test
    void aValueBeyondTheSketchIsRefusedAndTheSeriesStillRollsUp() throws Exception {
        try (var harness =
                harness(Interval.parse("1m"), Duration.ofMinutes(2), UTC, Duration.ofSeconds(0))) {
            send(harness, typed("2025-11-22T10:00:05Z", "tdouble", 1.0));
            send(harness, typed("2025-11-22T10:00:06Z", "tdouble", 1.79e308));
            send(harness, typed("2025-11-22T10:00:07Z", "tdouble", -Double.MAX_VALUE));
            send(harness, typed("2025-11-22T10:00:08Z", "tdouble", 1e300));
            assertThat(refused(harness))
                    .extracting(Rejected::getReason)
                    .containsExactly("VALUE_OUT_OF_RANGE", "VALUE_OUT_OF_RANGE");
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            Aggregation minute = harness.extractOutputValues().get(0);
            assertThat(minute.getCount()).isEqualTo(2);
            assertThat(minute.getNumeric().getMax()).isEqualTo(1e300);
            assertNothingLeft(harness);
        }
    }

    /**
     * A rollup whose policy lookup fails for series tagged {@code poison} while {@code failing}
     * says so: it stands for any bug a series could hit. A rule that matches nothing, since without
     * rules the rollup looks no policy up.
     */
    private static SeriesRollup policyFailingForPoison(BooleanSupplier failing) {
        RollupRules unmatched =
                new RollupRules(List.of(RulesYaml.rule("{name: unmatched, metric: never}")));
        return new SeriesRollup(
                List.of(new RollupLevel(Interval.parse("1m"), Duration.ofMinutes(2))),
                unmatched,
                new SeriesTiming(Duration.ZERO, IDLE, FORGET)) {
            @Override
            SeriesPolicy policyOf(Observation point) {
                if (failing.getAsBoolean() && point.getTagset().containsKey("poison")) {
                    throw new IllegalStateException("no policy for a poisoned series");
                }
                return super.policyOf(point);
            }
        };
    }

    @Test
    void anExceptionAPointCausesSendsItToTheDeadLettersAndTheJobGoesOn() throws Exception {
        try (var harness = harness(policyFailingForPoison(() -> true))) {
            send(harness, point("2025-11-22T10:00:05Z", 1.0, Map.of("poison", "yes")));
            send(harness, point("2025-11-22T10:00:05Z", 2.0, Map.of("room", "2")));
            List<Rejected> dead = refused(harness);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getReason()).isEqualTo("PROCESSING_FAILED");
            assertThat(dead.get(0).getExceptionClass())
                    .isEqualTo(IllegalStateException.class.getName());
            assertThat(dead.get(0).getJob()).isEqualTo("rollup");
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getSeriesKey)
                    .containsExactly("temp{room=2}");
        }
    }

    @Test
    void aSeriesThatFailsAtTheEndOfTheInputIsDeadLetteredAndTheOthersStillClose() throws Exception {
        boolean[] ending = {false};
        try (var harness = harness(policyFailingForPoison(() -> ending[0]))) {
            send(harness, point("2025-11-22T10:00:05Z", 1.0, Map.of("poison", "yes")));
            send(harness, point("2025-11-22T10:00:05Z", 2.0, Map.of("room", "2")));
            assertThat(harness.getSideOutput(SeriesRollup.REFUSED)).isNull(); // nothing refused yet
            ending[0] = true;
            harness.endInput();
            List<Rejected> dead = refused(harness);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getReason()).isEqualTo("PROCESSING_FAILED");
            assertThat(dead.get(0).getMessage()).startsWith("open buckets dropped");
            assertThat(dead.get(0).getExceptionClass())
                    .isEqualTo(IllegalStateException.class.getName());
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getSeriesKey)
                    .containsExactly("temp{room=2}");
            assertNothingLeft(harness);
        }
    }

    @Test
    void aSeriesWhoseProgressCannotBeReadHasItsRunDeadLetteredAndTheJobGoesOn() throws Exception {
        SeriesRollup unreadable =
                new SeriesRollup(
                        List.of(new RollupLevel(Interval.parse("1m"), Duration.ofMinutes(2))),
                        UTC,
                        new SeriesTiming(Duration.ZERO, IDLE, FORGET)) {
                    @Override
                    SeriesProgress readProgress(PointRun run) throws Exception {
                        if (run.seriesKey().contains("corrupt")) {
                            throw new IllegalStateException("cannot decode the stored progress");
                        }
                        return super.readProgress(run);
                    }
                };
        try (var harness = harness(unreadable)) {
            PointRun run =
                    PointRun.of(
                            point("2025-11-22T10:00:05Z", 1.0, Map.of("corrupt", "y")),
                            new RawPoint[] {
                                new RawPoint(millis("2025-11-22T10:00:06Z") * 1000, 2.0),
                                new RawPoint(millis("2025-11-22T10:00:07Z") * 1000, 3.0)
                            });
            harness.processElement(new StreamRecord<>(run));
            send(harness, point("2025-11-22T10:00:05Z", 4.0, Map.of("room", "2")));

            assertThat(refused(harness))
                    .extracting(Rejected::getReason)
                    .containsExactly("PROCESSING_FAILED", "PROCESSING_FAILED", "PROCESSING_FAILED");
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getSeriesKey)
                    .containsExactly("temp{room=2}");
            assertNothingLeft(harness);
        }
    }

    @Test
    void aSubtaskHoldsAtMostItsLimitOfSeriesAcrossARestoreAndTakesNewOnesOnceOthersAreForgotten()
            throws Exception {
        SeriesRollup limited =
                new SeriesRollup(
                        List.of(new RollupLevel(Interval.parse("1m"), Duration.ofMinutes(2))),
                        UTC,
                        new SeriesTiming(Duration.ZERO, IDLE, FORGET),
                        2);
        OperatorSubtaskState snapshot;
        try (var harness = harness(limited)) {
            harness.setProcessingTime(0);
            send(harness, point("2025-11-22T10:00:05Z", 1.0, Map.of("room", "1")));
            send(harness, point("2025-11-22T10:00:05Z", 2.0, Map.of("room", "2")));
            send(harness, point("2025-11-22T10:00:05Z", 3.0, Map.of("room", "3")));
            // Series already held keep rolling up.
            send(harness, point("2025-11-22T10:00:06Z", 1.5, Map.of("room", "1")));
            assertThat(refused(harness))
                    .extracting(Rejected::getReason, Rejected::getMetric)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("CARDINALITY_LIMIT", "temp"));
            snapshot = harness.snapshot(1, 1);
        }
        SeriesRollup restoredRollup =
                new SeriesRollup(
                        List.of(new RollupLevel(Interval.parse("1m"), Duration.ofMinutes(2))),
                        UTC,
                        new SeriesTiming(Duration.ZERO, IDLE, FORGET),
                        2);
        try (var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        restoredRollup.operator(), PointRun::seriesKey, Types.STRING)) {
            restored.setProcessingTime(0);
            restored.initializeState(snapshot);
            restored.open();
            // The count came back with the state: still full.
            send(restored, point("2025-11-22T10:00:07Z", 4.0, Map.of("room", "4")));
            assertThat(refused(restored)).hasSize(1);
            // Both held series fall silent and are forgotten: room 4 is taken.
            restored.setProcessingTime(FORGET.toMillis());
            send(restored, point("2025-11-22T10:00:08Z", 4.0, Map.of("room", "4")));
            assertThat(refused(restored)).hasSize(1);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            restored.endInput();
            assertThat(restored.extractOutputValues())
                    .extracting(Aggregation::getSeriesKey)
                    .contains("temp{room=4}");
            assertNothingLeft(restored);
        }
    }
}
