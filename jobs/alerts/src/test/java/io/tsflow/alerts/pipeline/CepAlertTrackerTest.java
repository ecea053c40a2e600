package io.tsflow.alerts.pipeline;

import static io.tsflow.alerts.rules.AlertRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class CepAlertTrackerTest {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long T0 = 1_763_805_600_000L;
    private static final String ROOM = SeriesKey.of("temp", new TreeMap<>(Map.of("room", "1")));
    private static final WatchTiming TIMING =
            new WatchTiming(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1));

    private static final AlertRule STALE =
            rule("{name: silent, kind: stale, metric: temp, staleAfter: 5m, engine: cep}");
    private static final AlertRule STUCK =
            rule("{name: stuck, kind: stuck, metric: temp, stuckPoints: 3, engine: cep}");
    private static final AlertRule HOT =
            rule(
                    "{name: hot, kind: outOfRange, metric: temp, max: 30, keepFiringFor: 1m,"
                            + " engine: cep}");

    private static KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleMatch, Alert>
            harness() throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new CepAlertTracker(List.of(STALE, STUCK, HOT), TIMING)),
                        Observation::getSeriesKey,
                        RuleMatch::getSeriesKey,
                        Types.STRING);
        harness.open();
        return harness;
    }

    private static void point(
            KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleMatch, Alert> harness,
            long now,
            double value)
            throws Exception {
        harness.setProcessingTime(now);
        harness.processElement1(
                new StreamRecord<>(
                        new Observation(
                                ROOM,
                                "temp",
                                Map.of("room", "1"),
                                "tdouble",
                                now * 1000,
                                value,
                                Origin.MEASURED,
                                null),
                        now));
        harness.processBothWatermarks(new Watermark(now - 1));
    }

    private static void match(
            KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleMatch, Alert> harness,
            int rule,
            long now,
            long lastEventMillis,
            double value)
            throws Exception {
        harness.setProcessingTime(now);
        harness.processElement2(
                new StreamRecord<>(new RuleMatch(ROOM, rule, lastEventMillis, value), now));
    }

    private static List<String> changes(
            KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleMatch, Alert> harness) {
        List<String> out =
                harness.extractOutputValues().stream()
                        .map(a -> a.getStatus() + " " + a.getRule())
                        .toList();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void matchesFireAndPointsThatContradictThemResolve() throws Exception {
        try (var harness = harness()) {
            point(harness, T0, 21);
            point(harness, T0 + SECOND, 21);
            point(harness, T0 + 2 * SECOND, 21);
            match(harness, 1, T0 + 2 * SECOND, T0 + 2 * SECOND, 21); // stuck at 21
            point(harness, T0 + 3 * SECOND, 21);
            assertThat(changes(harness)).containsExactly("FIRING stuck");
            point(harness, T0 + 4 * SECOND, 35);
            match(harness, 2, T0 + 4 * SECOND, T0 + 4 * SECOND, 35); // too hot
            assertThat(changes(harness)).containsExactly("RESOLVED stuck", "FIRING hot");
            point(harness, T0 + 5 * SECOND, 25); // back in range: held for keepFiringFor
            harness.setProcessingTime(T0 + 65 * SECOND - 1);
            assertThat(changes(harness)).isEmpty();
            harness.setProcessingTime(T0 + 65 * SECOND);
            assertThat(changes(harness)).containsExactly("RESOLVED hot");

            // The sensor falls silent: CEP's notFollowedBy match fires the stale rule; the next
            // point resolves it.
            match(harness, 0, T0 + 5 * SECOND + 5 * MINUTE, T0 + 5 * SECOND, Double.NaN);
            assertThat(changes(harness)).containsExactly("FIRING silent");
            point(harness, T0 + 6 * MINUTE, 22);
            assertThat(changes(harness)).containsExactly("RESOLVED silent");
        }
    }

    @Test
    void aMatchOvertakenByANewerPointIsIgnored() throws Exception {
        try (var harness = harness()) {
            point(harness, T0, 35);
            point(harness, T0 + SECOND, 25); // came in before the match of the point before it
            match(harness, 2, T0 + SECOND, T0, 35);
            match(harness, 0, T0 + 2 * SECOND, T0, Double.NaN);
            assertThat(changes(harness)).isEmpty();
        }
    }

    @Test
    void aStaleMatchCountsArrivalsNotEventTimesSincePartitionsInterleave() throws Exception {
        try (var harness = harness()) {
            point(harness, T0 + SECOND, 21); // from one partition
            harness.processElement1(
                    new StreamRecord<>(
                            new Observation(
                                    ROOM,
                                    "temp",
                                    Map.of("room", "1"),
                                    "tdouble",
                                    T0 * 1000,
                                    21.0,
                                    Origin.MEASURED,
                                    null),
                            T0)); // an older point from the other, arriving last: CEP's "last"
            match(harness, 0, T0 + SECOND + 5 * MINUTE, T0, Double.NaN);
            assertThat(changes(harness)).containsExactly("FIRING silent");
        }
    }

    @Test
    void aStaleMatchWhileTheJobIsBehindWaitsAndAPointFromTheBacklogCancelsIt() throws Exception {
        try (var harness = harness()) {
            long lag = 7 * MINUTE;
            // Records flow with a watermark minutes behind the clock.
            for (long now = T0; now < T0 + 10 * SECOND; now += SECOND) {
                harness.setProcessingTime(now);
                harness.processBothWatermarks(new Watermark(now - lag));
                harness.processElement1(
                        new StreamRecord<>(
                                new Observation(
                                        SeriesKey.of("other", new TreeMap<>()),
                                        "other",
                                        Map.of(),
                                        "tdouble",
                                        (now - lag) * 1000,
                                        1.0,
                                        Origin.MEASURED,
                                        null),
                                now - lag));
            }
            match(harness, 0, T0 + 10 * SECOND, T0 - 6 * MINUTE, Double.NaN);
            harness.setProcessingTime(T0 + 12 * SECOND);
            assertThat(changes(harness)).isEmpty(); // held back
            point(harness, T0 + 13 * SECOND, 21); // the room's point from the backlog
            harness.setProcessingTime(T0 + 30 * SECOND);
            assertThat(changes(harness)).isEmpty();
        }
    }

    @Test
    void aSilentSeriesIsForgottenWithItsStateAndTimers() throws Exception {
        try (var harness = harness()) {
            point(harness, T0, 21);
            match(harness, 0, T0 + 5 * MINUTE, T0, Double.NaN);
            assertThat(changes(harness)).containsExactly("FIRING silent");
            for (long t = T0; t <= T0 + 25 * 60 * MINUTE; t += 30 * MINUTE) {
                harness.setProcessingTime(t);
            }
            assertThat(changes(harness)).containsExactly("RESOLVED silent");
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void matchesAreAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RuleMatch.class);
    }
}
