package io.tsflow.alerts.pipeline;

import static io.tsflow.alerts.rules.AlertRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertKind;
import io.tsflow.schema.AlertStatus;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesWatcherTest {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;

    /** Processing time of the tests' first point: 2025-11-22T10:00:00Z. */
    private static final long T0 = 1_763_805_600_000L;

    private static final WatchTiming TIMING =
            new WatchTiming(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1));

    private static final String ROOM_1 = key("temp", Map.of("room", "1", "site", "hq"));
    private static final String ROOM_2 = key("temp", Map.of("room", "2", "site", "hq"));

    private static String key(String metric, Map<String, String> tags) {
        return SeriesKey.of(metric, new TreeMap<>(tags));
    }

    private static Observation point(String seriesKey, long eventMillis, double value) {
        SeriesKey.Parts parts = SeriesKey.parse(seriesKey);
        return new Observation(
                seriesKey,
                parts.metric(),
                Map.copyOf(parts.tags()),
                "tdouble",
                eventMillis * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> harness(
            AlertRule... rules) throws Exception {
        var harness = unopened(rules);
        harness.open();
        return harness;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> unopened(
            AlertRule... rules) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SeriesWatcher(List.of(rules), TIMING)),
                Observation::getSeriesKey,
                Types.STRING);
    }

    /** A point arriving at processing time {@code now}, with event time {@code now} too. */
    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> harness,
            String series,
            long now,
            double value)
            throws Exception {
        harness.setProcessingTime(now);
        harness.processElement(new StreamRecord<>(point(series, now, value), now));
        harness.processWatermark(new Watermark(now - 1));
    }

    private static List<Alert> changes(
            KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> harness) {
        List<Alert> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    private static final AlertRule STALE =
            rule("{name: silent, kind: stale, metric: temp, staleAfter: 5m, forgetAfter: 2h}");

    @Test
    void staleFiresWhenTheSeriesFallsSilentAndResolvesAtItsNextPoint() throws Exception {
        try (var harness = harness(STALE)) {
            send(harness, ROOM_1, T0, 20);
            send(harness, ROOM_2, T0, 20);
            send(harness, ROOM_2, T0 + 4 * MINUTE, 20);
            harness.setProcessingTime(T0 + 5 * MINUTE - 1);
            assertThat(changes(harness)).isEmpty();

            // Room 1 silent for 5 minutes; room 2 spoke a minute ago. The input is silent too,
            // and no watermark moves: stale still fires.
            harness.setProcessingTime(T0 + 5 * MINUTE);
            List<Alert> fired = changes(harness);
            assertThat(fired).hasSize(1);
            Alert alert = fired.get(0);
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getKind()).isEqualTo(AlertKind.STALE);
            assertThat(alert.getSeriesKey()).isEqualTo(ROOM_1);
            assertThat(alert.getStartsAtMillis()).isEqualTo(T0 + 5 * MINUTE);
            assertThat(alert.getLabels())
                    .containsEntry("alertname", "SensorStale")
                    .containsEntry("rule", "silent")
                    .containsEntry("metric", "temp")
                    .containsEntry("room", "1")
                    .containsEntry("site", "hq")
                    .containsEntry("severity", "warning");
            assertThat(alert.getAnnotations().get("summary"))
                    .isEqualTo(ROOM_1 + " sent nothing for PT5M (last point 2025-11-22T10:00:00Z)");
            assertThat(alert.getFingerprint())
                    .isEqualTo(AlertRecords.fingerprint("silent", ROOM_1))
                    .hasSize(16);

            send(harness, ROOM_2, T0 + 8 * MINUTE, 20);
            // It fires once, not again at every later timer.
            harness.setProcessingTime(T0 + 9 * MINUTE + 30 * SECOND);
            assertThat(changes(harness)).isEmpty();

            send(harness, ROOM_1, T0 + 10 * MINUTE, 21);
            List<Alert> resolved = changes(harness);
            assertThat(resolved).hasSize(1);
            assertThat(resolved.get(0).getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.get(0).getEndsAtMillis()).isEqualTo(T0 + 10 * MINUTE);
            assertThat(resolved.get(0).getStartsAtMillis()).isEqualTo(T0 + 5 * MINUTE);
        }
    }

    @Test
    void aFiringAlertIsResentEveryMinuteForAlertmanagerButChangesOnlyOnce() throws Exception {
        try (var harness = harness(STALE)) {
            send(harness, ROOM_1, T0, 20);
            harness.setProcessingTime(T0 + 5 * MINUTE);
            harness.setProcessingTime(T0 + 6 * MINUTE);
            harness.setProcessingTime(T0 + 7 * MINUTE);
            assertThat(changes(harness)).hasSize(1);
            var deliveries = harness.getSideOutput(SeriesWatcher.DELIVERIES);
            assertThat(deliveries).hasSize(3); // the change, then two re-sends
            assertThat(deliveries)
                    .allSatisfy(
                            r ->
                                    assertThat(r.getValue().getStatus())
                                            .isEqualTo(AlertStatus.FIRING));
        }
    }

    @Test
    void aSeriesThatNeverComesBackFiresOnceThenExpiresAndLeavesNoStateOrTimers() throws Exception {
        try (var harness = harness(STALE)) {
            send(harness, ROOM_1, T0, 20);
            for (long t = T0; t <= T0 + 3 * 60 * MINUTE; t += 10 * MINUTE) {
                harness.setProcessingTime(t);
            }
            List<Alert> out = changes(harness);
            assertThat(out)
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
            assertThat(out.get(1).getAnnotations().get("resolution")).startsWith("expired");
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void forDelaysFiringAndKeepFiringForHoldsItThroughAShortRecovery() throws Exception {
        AlertRule range =
                rule(
                        "{name: too-hot, kind: outOfRange, metric: temp, max: 30, outOfRangePoints:"
                            + " 2, for: 1m, keepFiringFor: 2m, severity: critical, labels: {team:"
                            + " facilities}}");
        try (var harness = harness(range)) {
            send(harness, ROOM_1, T0, 35);
            assertThat(changes(harness)).isEmpty(); // one point out of range is not two
            send(harness, ROOM_1, T0 + 10 * SECOND, 36);
            harness.setProcessingTime(T0 + 69 * SECOND);
            assertThat(changes(harness)).isEmpty(); // pending
            harness.setProcessingTime(T0 + 70 * SECOND);
            List<Alert> fired = changes(harness);
            assertThat(fired).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING);
            assertThat(fired.get(0).getLabels())
                    .containsEntry("severity", "critical")
                    .containsEntry("team", "facilities")
                    .containsEntry("alertname", "SensorOutOfRange");
            assertThat(fired.get(0).getAnnotations().get("summary"))
                    .isEqualTo(ROOM_1 + " is at 36, outside [, 30]");

            // Back in range for one minute, out again: keepFiringFor keeps it firing throughout.
            send(harness, ROOM_1, T0 + 2 * MINUTE, 25);
            send(harness, ROOM_1, T0 + 3 * MINUTE, 31);
            send(harness, ROOM_1, T0 + 3 * MINUTE + SECOND, 31);
            harness.setProcessingTime(T0 + 10 * MINUTE);
            assertThat(changes(harness)).isEmpty();

            // Back in range for good: resolved two minutes later.
            send(harness, ROOM_1, T0 + 11 * MINUTE, 25);
            harness.setProcessingTime(T0 + 13 * MINUTE - 1);
            assertThat(changes(harness)).isEmpty();
            harness.setProcessingTime(T0 + 13 * MINUTE);
            assertThat(changes(harness))
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.RESOLVED);
        }
    }

    @Test
    void aConditionThatClearsWhilePendingNeverFires() throws Exception {
        AlertRule range = rule("{name: cold, kind: outOfRange, metric: temp, min: 0, for: 1m}");
        try (var harness = harness(range)) {
            send(harness, ROOM_1, T0, -5);
            send(harness, ROOM_1, T0 + 30 * SECOND, 3);
            harness.setProcessingTime(T0 + 5 * MINUTE);
            assertThat(changes(harness)).isEmpty();
        }
    }

    @Test
    void stuckFiresAfterNEqualPointsOrADurationAndResolvesOnAChange() throws Exception {
        AlertRule byCount = rule("{name: stuck-5, kind: stuck, metric: temp, stuckPoints: 5}");
        AlertRule byTime = rule("{name: stuck-1h, kind: stuck, metric: temp, stuckFor: 1h}");
        try (var harness = harness(byCount, byTime)) {
            for (int i = 0; i < 4; i++) {
                send(harness, ROOM_1, T0 + i * MINUTE, 21.5);
            }
            assertThat(changes(harness)).isEmpty();
            send(harness, ROOM_1, T0 + 4 * MINUTE, 21.5);
            List<Alert> fired = changes(harness);
            assertThat(fired).extracting(Alert::getRule).containsExactly("stuck-5");
            assertThat(fired.get(0).getAnnotations().get("summary"))
                    .isEqualTo(ROOM_1 + " is stuck at 21.5");

            send(harness, ROOM_1, T0 + 60 * MINUTE, 21.5);
            assertThat(changes(harness)).extracting(Alert::getRule).containsExactly("stuck-1h");

            send(harness, ROOM_1, T0 + 61 * MINUTE, 21.6);
            List<Alert> resolved = changes(harness);
            assertThat(resolved)
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.RESOLVED, AlertStatus.RESOLVED);
        }
    }

    @Test
    void rulesOnlyWatchTheSeriesTheySelect() throws Exception {
        AlertRule hqOnly =
                rule("{name: hq, kind: stale, metric: 'te.*', tags: {site: hq}, staleAfter: 1m}");
        try (var harness = harness(hqOnly)) {
            send(harness, key("temp", Map.of("site", "lab")), T0, 1);
            send(harness, key("humidity", Map.of("site", "hq")), T0, 1);
            harness.setProcessingTime(T0 + 10 * MINUTE);
            assertThat(changes(harness)).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void pointsStillInTheBacklogAreNotSilence() throws Exception {
        long lag = 7 * MINUTE;
        try (var harness = harness(STALE)) {
            // The job runs 7 minutes behind its input: at each second it reads room 2's point of
            // 7 minutes ago, and the watermark trails the clock as far. Room 1 sent one point.
            harness.setProcessingTime(T0);
            harness.processElement(new StreamRecord<>(point(ROOM_1, T0 - lag, 20), T0 - lag));
            for (long now = T0; now < T0 + 8 * MINUTE; now += SECOND) {
                behind(harness, ROOM_2, now, now - lag);
            }
            assertThat(changes(harness)).isEmpty();
            // It catches up within a second, reading the last 7 minutes of room 2's points.
            long now = T0 + 8 * MINUTE;
            for (long event = now - lag; event <= now; event += SECOND) {
                behind(harness, ROOM_2, now, event);
            }
            harness.setProcessingTime(now + 2 * SECOND);
            // Room 1 really is silent; room 2 never was.
            List<Alert> fired = changes(harness);
            assertThat(fired).extracting(Alert::getSeriesKey).containsExactly(ROOM_1);
        }
    }

    /** A point of event time {@code event} read at processing time {@code now}. */
    private static void behind(
            KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> harness,
            String series,
            long now,
            long event)
            throws Exception {
        harness.setProcessingTime(now);
        harness.processElement(new StreamRecord<>(point(series, event, 20), event));
        harness.processWatermark(new Watermark(event - 1));
    }

    @Test
    void aRestoreAfterDowntimeRaisesNoStormAndKeepsFiringAlertsFiring() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(STALE)) {
            send(harness, ROOM_1, T0, 20);
            send(harness, ROOM_2, T0, 20);
            harness.setProcessingTime(T0 + 5 * MINUTE);
            assertThat(changes(harness)).hasSize(2); // both silent: both fire
            send(harness, ROOM_2, T0 + 6 * MINUTE, 20);
            assertThat(changes(harness))
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.RESOLVED);
            snapshot = harness.snapshot(1, T0 + 6 * MINUTE);
        }
        try (var restored = unopened(STALE)) {
            // Down for an hour; room 2 kept reporting into Kafka meanwhile. Room 1 is still
            // firing from before: no second FIRING for it.
            restored.setProcessingTime(T0 + 66 * MINUTE);
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(T0 + 66 * MINUTE + 10 * SECOND);
            assertThat(changes(restored)).isEmpty(); // waiting for the backlog to flow
            for (long t = 10; t < 60; t++) {
                long behind = T0 + 6 * MINUTE + t * MINUTE;
                restored.setProcessingTime(T0 + 66 * MINUTE + t * 200);
                restored.processElement(new StreamRecord<>(point(ROOM_2, behind, 20), behind));
                restored.processWatermark(new Watermark(behind - 1));
            }
            assertThat(changes(restored)).isEmpty();
            send(restored, ROOM_2, T0 + 67 * MINUTE, 20);
            restored.setProcessingTime(T0 + 70 * MINUTE);
            assertThat(changes(restored)).isEmpty();
            // Room 1 comes back: one RESOLVED for the FIRING sent before the restore.
            send(restored, ROOM_1, T0 + 71 * MINUTE, 20);
            assertThat(changes(restored))
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.RESOLVED);
        }
    }

    @Test
    void aSeriesWatchedBeforeARestoreThatStaysSilentStillFires() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(STALE)) {
            send(harness, ROOM_1, T0, 20);
            snapshot = harness.snapshot(1, T0 + MINUTE);
        }
        try (var restored = unopened(STALE)) {
            restored.setProcessingTime(T0 + 2 * MINUTE);
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(T0 + 5 * MINUTE);
            assertThat(changes(restored)).extracting(Alert::getSeriesKey).containsExactly(ROOM_1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{name: r, kind: stale, metric: temp, staleAfter: 1m, for: 1m, keepFiringFor: 90s,"
                        + " forgetAfter: 1h}",
                "{name: r, kind: stuck, metric: temp, stuckPoints: 2, for: 1m, keepFiringFor: 90s,"
                        + " forgetAfter: 1h}",
                "{name: r, kind: outOfRange, metric: temp, max: 30, outOfRangePoints: 2, for: 1m,"
                        + " keepFiringFor: 90s, forgetAfter: 1h}"
            })
    void everyKindIsPendingForItsForHeldForKeepFiringForAndForgottenWithoutATrace(String yaml)
            throws Exception {
        AlertRule rule = rule(yaml);
        // A point that makes the condition true (for stale: then silence), and one that clears it.
        double bad = rule.alertKind() == AlertKind.OUT_OF_RANGE ? 40 : 21;
        double good = rule.alertKind() == AlertKind.OUT_OF_RANGE ? 20 : 22;
        try (var harness = harness(rule)) {
            send(harness, ROOM_1, T0, bad);
            send(harness, ROOM_1, T0 + SECOND, bad);
            long conditionSince =
                    rule.alertKind() == AlertKind.STALE ? T0 + 61 * SECOND : T0 + SECOND;
            harness.setProcessingTime(conditionSince + MINUTE - 1);
            assertThat(changes(harness)).isEmpty(); // pending
            harness.setProcessingTime(conditionSince + MINUTE);
            assertThat(changes(harness))
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.FIRING);
            long clearedAt = conditionSince + 90 * SECOND;
            send(harness, ROOM_1, clearedAt, good);
            harness.setProcessingTime(clearedAt + 90 * SECOND - 1);
            assertThat(changes(harness)).isEmpty(); // held
            harness.setProcessingTime(clearedAt + 90 * SECOND);
            assertThat(changes(harness))
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.RESOLVED);
            harness.setProcessingTime(clearedAt + 2 * 60 * MINUTE);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void stateIsAPojoNotKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RuleWatch.class);
    }

    @Test
    void anExceptionAPointCausesSendsItToTheDeadLettersAndOtherSeriesAreStillWatched()
            throws Exception {
        // A watch that fails for room 2's points stands for any bug a point could hit.
        SeriesWatcher failing =
                new SeriesWatcher(List.of(STALE), TIMING) {
                    @Override
                    void watch(Observation point, Context context, Collector<Alert> out)
                            throws Exception {
                        if (point.getSeriesKey().equals(ROOM_2)) {
                            throw new IllegalStateException("cannot watch room 2");
                        }
                        super.watch(point, context, out);
                    }
                };
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(failing),
                        Observation::getSeriesKey,
                        Types.STRING)) {
            harness.open();
            send(harness, ROOM_1, T0, 20);
            send(harness, ROOM_2, T0, 20);
            List<Rejected> dead =
                    harness.getSideOutput(WatchedRules.REFUSED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getReason()).isEqualTo("PROCESSING_FAILED");
            assertThat(dead.get(0).getJob()).isEqualTo("alerts");
            assertThat(dead.get(0).getExceptionClass())
                    .isEqualTo(IllegalStateException.class.getName());
            assertThat(dead.get(0).getMessage()).contains("cannot watch room 2");
            // Room 1 is still watched: it falls silent and fires.
            harness.setProcessingTime(T0 + 5 * MINUTE);
            assertThat(changes(harness)).extracting(Alert::getSeriesKey).containsExactly(ROOM_1);
        }
    }

    @Test
    void aRuleWatchesAtMostItsLimitOfSeriesPerSubtaskAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SeriesWatcher(List.of(STALE), TIMING, 1)),
                        Observation::getSeriesKey,
                        Types.STRING)) {
            harness.open();
            send(harness, ROOM_1, T0, 20);
            send(harness, ROOM_2, T0, 20);
            send(harness, ROOM_2, T0 + SECOND, 20);
            List<Rejected> dead =
                    harness.getSideOutput(WatchedRules.REFUSED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(dead)
                    .extracting(Rejected::getReason)
                    .containsExactly("CARDINALITY_LIMIT", "CARDINALITY_LIMIT");
            // Only the watched room can fire.
            harness.setProcessingTime(T0 + 5 * MINUTE + SECOND);
            assertThat(changes(harness)).extracting(Alert::getSeriesKey).containsExactly(ROOM_1);
            snapshot = harness.snapshot(1, T0 + 5 * MINUTE + SECOND);
        }
        try (var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SeriesWatcher(List.of(STALE), TIMING, 1)),
                        Observation::getSeriesKey,
                        Types.STRING)) {
            restored.setProcessingTime(T0 + 5 * MINUTE + SECOND);
            restored.initializeState(snapshot);
            restored.open();
            // The count came back: room 2 is still refused.
            send(restored, ROOM_2, T0 + 6 * MINUTE, 20);
            assertThat(restored.getSideOutput(WatchedRules.REFUSED)).hasSize(1);
            // Room 1 is forgotten after forgetAfter (2 h) of silence: room 2 takes its place.
            restored.setProcessingTime(T0 + 3 * 60 * MINUTE);
            send(restored, ROOM_2, T0 + 3 * 60 * MINUTE, 20);
            assertThat(restored.getSideOutput(WatchedRules.REFUSED)).hasSize(1);
            assertThat(restored.numKeyedStateEntries()).isEqualTo(1);
        }
    }
}
