package io.tsflow.derived.pipeline;

import static io.tsflow.derived.rules.DerivedRulesYaml.rule;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class StepAlignerTest {

    private static final long S = 1000;
    private static final long T0 = 1_763_805_600_000L; // a multiple of 10 s
    private static final SeriesTiming TIMING =
            new SeriesTiming(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(30));
    private static final long IDLE = TIMING.idleAfter().toMillis();

    private static final DerivedRule POWER =
            rule(
                    "{name: power, metric: site.power, by: [site], step: 10s, lookback: 30s,"
                            + " allowedLateness: 20s, inputs: {voltage: {metric: site\\.voltage},"
                            + " current: {metric: site\\.current}}, expression: 'voltage *"
                            + " current'}");

    /** Routes observations through {@link RuleRouter} into the aligner, as the job does. */
    private static final class Rig implements AutoCloseable {
        final OneInputStreamOperatorTestHarness<Observation, RuleInput> router;
        final KeyedOneInputStreamOperatorTestHarness<String, RuleInput, Observation> aligner;

        Rig(DerivedRule... rules) throws Exception {
            this(new StepAligner(List.of(rules), TIMING), null, rules);
        }

        /** With {@code function} as the aligner, restored from {@code snapshot} unless null. */
        Rig(StepAligner function, OperatorSubtaskState snapshot, DerivedRule... rules)
                throws Exception {
            router =
                    new OneInputStreamOperatorTestHarness<>(
                            new StreamFlatMap<>(new RuleRouter(List.of(rules))));
            router.open();
            aligner =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            function.operator(), RuleInput::ruleAndTarget, Types.STRING);
            if (snapshot != null) {
                aligner.initializeState(snapshot);
            }
            aligner.open();
        }

        void point(String metric, Map<String, String> tags, long at, double value)
                throws Exception {
            Observation observation =
                    new Observation(
                            io.tsflow.common.series.SeriesKey.of(
                                    metric, new java.util.TreeMap<>(tags)),
                            metric,
                            tags,
                            "tdouble",
                            at * 1000,
                            value,
                            Origin.MEASURED,
                            null);
            router.processElement(new StreamRecord<>(observation, at));
            for (RuleInput routed : router.extractOutputValues()) {
                aligner.processElement(new StreamRecord<>(routed, at));
            }
            router.getOutput().clear();
        }

        /** Moves processing time to {@code millis}, firing the timers due by then. */
        void clock(long millis) throws Exception {
            aligner.setProcessingTime(millis);
        }

        /** The end of a bounded input, as Flink ends it: the final watermark, then the end. */
        void end() throws Exception {
            aligner.processWatermark(new Watermark(Long.MAX_VALUE));
            aligner.endInput();
        }

        void assertNothingLeft() {
            assertThat(aligner.numKeyedStateEntries()).isZero();
            assertThat(aligner.numEventTimeTimers()).isZero();
            assertThat(aligner.numProcessingTimeTimers()).isZero();
        }

        /** "series@seconds-after-T0=value" for each point emitted since the last call. */
        List<String> emitted() {
            List<String> out = new ArrayList<>();
            for (Observation o : aligner.extractOutputValues()) {
                assertThat(o.getOrigin()).isEqualTo(Origin.DERIVED);
                out.add(
                        o.getSeriesKey()
                                + "@"
                                + (o.getTimestampMicros() / 1000 - T0) / S
                                + "="
                                + o.getValue());
            }
            aligner.getOutput().clear();
            return out;
        }

        @Override
        public void close() throws Exception {
            router.close();
            aligner.close();
        }
    }

    private static final Map<String, String> HQ = Map.of("site", "hq");

    @Test
    void unalignedInputsMeetOnTheStepGridWithinTheLookback() throws Exception {
        try (Rig rig = new Rig(POWER)) {
            rig.point("site.voltage", HQ, T0 + 3 * S, 230);
            rig.point("site.current", HQ, T0 + 7 * S, 2);
            rig.point("site.current", HQ, T0 + 14 * S, 3);
            rig.point("site.voltage", HQ, T0 + 26 * S, 240);
            rig.end();
            // 40: voltage 240 (26) and current 3 (14) still within 30 s; 50: current is gone.
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=460.0",
                            "site.power{site=\"hq\"}@20=690.0",
                            "site.power{site=\"hq\"}@30=720.0",
                            "site.power{site=\"hq\"}@40=720.0");
            rig.assertNothingLeft();
        }
    }

    /** Voltage and current of {@code sites}, 3 s and 7 s after T0. */
    private static void powerOf(Rig rig, List<String> sites) throws Exception {
        for (String site : sites) {
            rig.point("site.voltage", Map.of("site", site), T0 + 3 * S, 230);
            rig.point("site.current", Map.of("site", site), T0 + 7 * S, 2);
        }
    }

    /**
     * What {@link #powerOf} yields for {@code sites} once final: the steps whose lookback holds
     * both.
     */
    private static List<String> finalPowerOf(List<String> sites) {
        List<String> expected = new ArrayList<>();
        for (String site : sites) {
            for (int step = 10; step <= 30; step += 10) {
                expected.add("site.power{site=\"" + site + "\"}@" + step + "=460.0");
            }
        }
        return expected;
    }

    @Test
    void theEndOfTheInputFinishesEveryDerivedSeriesWithoutAnEventTimeTimer() throws Exception {
        List<String> sites = List.of("hq", "north", "south");
        try (Rig rig = new Rig(POWER)) {
            powerOf(rig, sites);
            assertThat(rig.emitted()).isEmpty(); // new series wait for their inputs
            assertThat(rig.aligner.numEventTimeTimers()).isZero();
            assertThat(rig.aligner.numProcessingTimeTimers()).isEqualTo(sites.size());
            rig.aligner.endInput(); // no watermark: the end alone finishes them
            assertThat(rig.emitted()).containsExactlyInAnyOrderElementsOf(finalPowerOf(sites));
            rig.assertNothingLeft();
        }
    }

    @Test
    void aDerivedSeriesThatFailsAtTheEndOfTheInputIsDroppedAndTheOthersFinish() throws Exception {
        StepAligner failing =
                new StepAligner(List.of(POWER), TIMING) {
                    @Override
                    void closeAtEnd(
                            TargetProgress progress,
                            String key,
                            org.apache.flink.streaming.api.TimerService timers,
                            Collector<Observation> out)
                            throws Exception {
                        if (key.contains("bad")) {
                            throw new IllegalStateException("cannot finish site bad");
                        }
                        super.closeAtEnd(progress, key, timers, out);
                    }
                };
        try (Rig rig = new Rig(failing, null, POWER)) {
            powerOf(rig, List.of("hq", "bad"));
            rig.end();
            assertThat(rig.emitted())
                    .containsExactlyInAnyOrderElementsOf(finalPowerOf(List.of("hq")));
            rig.assertNothingLeft();
        }
    }

    @Test
    void seriesRestoredWithTheEarlierBuildsEndOfInputTimerFinishOnce() throws Exception {
        // Earlier builds gave every derived series an event-time timer at the end of time.
        StepAligner earlier =
                new StepAligner(List.of(POWER), TIMING) {
                    @Override
                    void align(RuleInput point, Context context, Collector<Observation> out)
                            throws Exception {
                        context.timerService().registerEventTimeTimer(Long.MAX_VALUE);
                        super.align(point, context, out);
                    }
                };
        OperatorSubtaskState snapshot;
        try (Rig rig = new Rig(earlier, null, POWER)) {
            powerOf(rig, List.of("hq", "north"));
            assertThat(rig.aligner.numEventTimeTimers()).isEqualTo(2);
            snapshot = rig.aligner.snapshot(1, 1);
        }
        try (Rig rig = new Rig(new StepAligner(List.of(POWER), TIMING), snapshot, POWER)) {
            powerOf(rig, List.of("south")); // a series of this build: no timer
            rig.end();
            assertThat(rig.emitted())
                    .containsExactlyInAnyOrderElementsOf(
                            finalPowerOf(List.of("hq", "north", "south")));
            rig.assertNothingLeft();
        }
    }

    @Test
    void aMissingInputSkipsTheStepUnlessTheRuleFillsIt() throws Exception {
        DerivedRule zero =
                rule(
                        "{name: p0, metric: site.p0, by: [site], fill: zero, step: 10s, lookback:"
                                + " 10s, inputs: {a: {metric: site\\.a}, b: {metric: site\\.b}},"
                                + " expression: 'a + b'}");
        DerivedRule previous =
                rule(
                        "{name: pp, metric: site.pp, by: [site], fill: previous, step: 10s,"
                                + " lookback: 10s, inputs: {a: {metric: site\\.a}, b: {metric:"
                                + " site\\.b}}, expression: 'a + b'}");
        DerivedRule skip =
                rule(
                        "{name: ps, metric: site.ps, by: [site], step: 10s, lookback: 10s,"
                                + " inputs: {a: {metric: site\\.a}, b: {metric: site\\.b}},"
                                + " expression: 'a + b'}");
        try (Rig rig = new Rig(zero, previous, skip)) {
            rig.point("site.a", HQ, T0 + 5 * S, 1);
            rig.point("site.b", HQ, T0 + 5 * S, 10);
            rig.point("site.a", HQ, T0 + 15 * S, 2); // b has nothing in (10, 20]
            rig.end();
            assertThat(rig.emitted())
                    .containsExactlyInAnyOrder(
                            "site.p0{site=\"hq\"}@10=11.0",
                            "site.pp{site=\"hq\"}@10=11.0",
                            "site.ps{site=\"hq\"}@10=11.0",
                            "site.p0{site=\"hq\"}@20=2.0",
                            "site.pp{site=\"hq\"}@20=12.0");
        }
    }

    @Test
    void aLatePointRecomputesItsStepsAndATooLateOneIsDropped() throws Exception {
        try (Rig rig = new Rig(POWER)) {
            rig.point("site.voltage", HQ, T0 + 1 * S, 200);
            rig.point("site.current", HQ, T0 + 2 * S, 1);
            rig.clock(IDLE - 1);
            rig.point("site.voltage", HQ, T0 + 21 * S, 200);
            rig.point("site.current", HQ, T0 + 22 * S, 1);
            assertThat(rig.emitted()).as("a new derived series waits for its inputs").isEmpty();
            rig.clock(IDLE);
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=200.0", "site.power{site=\"hq\"}@20=200.0");
            rig.point("site.current", HQ, T0 + 9 * S, 2); // 11 s behind step 20: allowed
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=400.0", "site.power{site=\"hq\"}@20=400.0");
            rig.point("site.voltage", HQ, T0 + 41 * S, 200);
            rig.point("site.current", HQ, T0 + 42 * S, 1);
            assertThat(rig.emitted()).hasSize(2); // 30 and 40
            rig.point("site.current", HQ, T0 + 15 * S, 100); // 25 s behind step 40: too late
            assertThat(rig.emitted()).isEmpty();
        }
    }

    private static String seriesKey(String metric) {
        return io.tsflow.common.series.SeriesKey.of(metric, new java.util.TreeMap<>(HQ));
    }

    /** The latest value emitted for each derived point. */
    private static Map<String, String> latest(List<String> emitted) {
        Map<String, String> latest = new java.util.TreeMap<>();
        for (String point : emitted) {
            latest.put(point.substring(0, point.indexOf('=')), point);
        }
        return latest;
    }

    @Test
    void theSlowestInputStillSendingHoldsTheStepsBackWhateverTheArrivalOrder() throws Exception {
        List<String> inOrder;
        try (Rig rig = new Rig(POWER)) {
            for (int t = 0; t < 100; t += 5) {
                rig.point("site.voltage", HQ, T0 + t * S, 200 + t);
                rig.point("site.current", HQ, T0 + t * S + 500, 1 + t);
            }
            rig.end();
            inOrder = rig.emitted();
        }
        assertThat(inOrder).hasSize(12); // steps 10 to 120
        try (Rig rig = new Rig(POWER)) {
            // A backlog: both inputs show up, then voltage is read far ahead of current.
            rig.point("site.voltage", HQ, T0, 200);
            rig.point("site.current", HQ, T0 + 500, 1);
            rig.clock(IDLE - 1);
            rig.point("site.voltage", HQ, T0 + 5 * S, 205);
            rig.point("site.current", HQ, T0 + 5 * S + 500, 6);
            rig.clock(IDLE);
            for (int t = 10; t < 100; t += 5) {
                rig.point("site.voltage", HQ, T0 + t * S, 200 + t);
            }
            List<String> emitted = new ArrayList<>(rig.emitted());
            assertThat(emitted).as("no step past the current's newest point").isEmpty();
            for (int t = 10; t < 50; t += 5) {
                rig.point("site.current", HQ, T0 + t * S + 500, 1 + t);
            }
            assertThat(rig.emitted())
                    .as("current has reached 45.5 s: steps 10 to 40")
                    .hasSize(4)
                    .allSatisfy(emitted::add);
            for (int t = 50; t < 100; t += 5) {
                rig.point("site.current", HQ, T0 + t * S + 500, 1 + t);
            }
            rig.end();
            emitted.addAll(rig.emitted());
            assertThat(latest(emitted)).isEqualTo(latest(inOrder));
            assertThat(emitted).hasSameSizeAs(inOrder);
        }
    }

    @Test
    void anInputSilentForTheIdleDelayNoLongerHoldsTheStepsBack() throws Exception {
        DerivedRule power =
                rule(
                        "{name: power, metric: site.power, by: [site], step: 10s, lookback: 10s,"
                                + " fill: previous, inputs: {voltage: {metric: site\\.voltage},"
                                + " current: {metric: site\\.current}}, expression: 'voltage *"
                                + " current'}");
        try (Rig rig = new Rig(power)) {
            rig.point("site.voltage", HQ, T0 + 1 * S, 200);
            rig.point("site.current", HQ, T0 + 2 * S, 2);
            rig.clock(IDLE / 2);
            rig.point("site.voltage", HQ, T0 + 11 * S, 200);
            rig.clock(IDLE + 1);
            rig.point("site.voltage", HQ, T0 + 21 * S, 200);
            // Current's last arrival is an idle delay ago: voltage alone moves the steps on, and
            // current fills in with its previous value.
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=400.0", "site.power{site=\"hq\"}@20=400.0");
        }
    }

    @Test
    void afterARestoreSilenceCountsFromTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (Rig rig = new Rig(POWER)) {
            rig.point("site.voltage", HQ, T0 + 1 * S, 200);
            rig.point("site.current", HQ, T0 + 2 * S, 1);
            snapshot = rig.aligner.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, RuleInput, Observation> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        (new StepAligner(List.of(POWER), TIMING)).operator(),
                        RuleInput::ruleAndTarget,
                        Types.STRING)) {
            restored.setProcessingTime(3_600_000); // an hour of downtime
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(3_600_001); // the overdue timer fires
            assertThat(restored.extractOutputValues()).isEmpty();
            // The backlog arrives: the points from before the downtime still count.
            for (RuleInput input :
                    List.of(
                            new RuleInput(
                                    0,
                                    "site.power{site=\"hq\"}",
                                    "voltage",
                                    seriesKey("site.voltage"),
                                    T0 + 11 * S,
                                    200),
                            new RuleInput(
                                    0,
                                    "site.power{site=\"hq\"}",
                                    "current",
                                    seriesKey("site.current"),
                                    T0 + 12 * S,
                                    1))) {
                restored.processElement(new StreamRecord<>(input));
            }
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            restored.endInput();
            assertThat(restored.extractOutputValues())
                    .extracting(o -> (o.getTimestampMicros() / 1000 - T0) / S + "=" + o.getValue())
                    .startsWith("10=200.0");
        }
    }

    @Test
    void countersHandleResetsAndGroupsSumTheirSeries() throws Exception {
        DerivedRule requests =
                rule(
                        "{name: rps, metric: 'site.requests_per_s', by: [site], step: 10s,"
                                + " lookback: 30s, inputs: {hits: {metric: http\\.hits}},"
                                + " expression: 'rate(hits)'}");
        DerivedRule results =
                rule(
                        "{name: results, metric: 'application.result.$1', step: 10s, inputs:"
                                + " {status: {metric: 'application\\.http\\.status\\.(\\d+)'}},"
                                + " expression: 'sum(status)'}");
        try (Rig rig = new Rig(requests, results)) {
            Map<String, String> web1 = Map.of("site", "hq", "host", "web1");
            Map<String, String> web2 = Map.of("site", "hq", "host", "web2");
            rig.point("http.hits", web1, T0 + 1 * S, 100);
            rig.point("http.hits", web1, T0 + 6 * S, 150);
            rig.point("http.hits", web1, T0 + 11 * S, 20); // restarted: +20
            rig.point("http.hits", web2, T0 + 1 * S, 0);
            rig.point("http.hits", web2, T0 + 11 * S, 100);
            rig.point("application.http.status.404", web1, T0 + 2 * S, 3);
            rig.point("application.http.status.404", web2, T0 + 3 * S, 4);
            rig.point("application.http.status.500", web2, T0 + 4 * S, 1);
            rig.end();
            assertThat(rig.emitted())
                    .contains(
                            // web1: 70 in 10 s; web2: 100 in 10 s
                            "site.requests_per_s{site=\"hq\"}@20=17.0",
                            "application.result.404@10=7.0",
                            "application.result.500@10=1.0");
        }
    }

    @Test
    void aDerivedSeriesWhoseInputsFallSilentLeavesNoStateOrTimers() throws Exception {
        try (Rig rig = new Rig(POWER)) {
            rig.point("site.voltage", HQ, T0 + 3 * S, 230);
            rig.point("site.current", HQ, T0 + 4 * S, 2);
            // Silent for the idle delay: the steps are computed as the inputs stand.
            rig.clock(IDLE);
            assertThat(rig.emitted()).hasSize(3); // steps 10, 20, 30
            // The gateway comes back with what it buffered: not late, the steps are recomputed.
            rig.point("site.current", HQ, T0 + 9 * S, 3);
            rig.clock(2 * IDLE);
            assertThat(rig.emitted()).contains("site.power{site=\"hq\"}@10=690.0");
            // Silent for forgetAfter: nothing is left.
            rig.clock(IDLE + TIMING.forgetAfter().toMillis());
            rig.assertNothingLeft();
        }
    }

    @Test
    void aRuleNeverReadsItsOwnOutputButOtherRulesDo() throws Exception {
        DerivedRule doubled =
                rule(
                        "{name: doubled, metric: 'x.doubled', inputs: {x: {metric: 'x\\..*'}},"
                                + " expression: 'x * 2'}");
        DerivedRule plusOne =
                rule(
                        "{name: plus-one, metric: 'y.plus_one', inputs: {d: {metric:"
                                + " 'x\\.doubled'}}, expression: 'd + 1'}");
        try (Rig rig = new Rig(doubled, plusOne)) {
            Observation own =
                    new Observation(
                            "x.doubled",
                            "x.doubled",
                            Map.of(),
                            "tdouble",
                            T0 * 1000,
                            4.0,
                            Origin.DERIVED,
                            "doubled");
            rig.router.processElement(new StreamRecord<>(own, T0));
            assertThat(rig.router.extractOutputValues())
                    .extracting(routed -> routed.rule)
                    .containsExactly(1); // plus-one only
        }
    }

    @Test
    void recordsAndStateArePojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RuleInput.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeriesWindow.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TargetProgress.class);
    }

    @Test
    void anExceptionAnInputPointCausesSendsItToTheDeadLettersAndOtherSeriesGoOn() throws Exception {
        // An aligner that fails for one site stands for any bug an input point could hit.
        StepAligner failing =
                new StepAligner(List.of(POWER), TIMING) {
                    @Override
                    void align(RuleInput point, Context context, Collector<Observation> out)
                            throws Exception {
                        if (point.target.contains("bad")) {
                            throw new IllegalStateException("cannot align site bad");
                        }
                        super.align(point, context, out);
                    }
                };
        try (var aligner =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        failing.operator(), RuleInput::ruleAndTarget, Types.STRING)) {
            aligner.open();
            String hq = seriesKey("site.power");
            for (String site : List.of("hq", "bad")) {
                String target = "site.power{site=\"" + site + "\"}";
                aligner.processElement(
                        new StreamRecord<>(
                                new RuleInput(
                                        0,
                                        target,
                                        "voltage",
                                        "site.voltage{site=\"" + site + "\"}",
                                        T0,
                                        230)));
                aligner.processElement(
                        new StreamRecord<>(
                                new RuleInput(
                                        0,
                                        target,
                                        "current",
                                        "site.current{site=\"" + site + "\"}",
                                        T0,
                                        2)));
            }
            List<Rejected> dead =
                    aligner.getSideOutput(StepAligner.REFUSED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(dead).hasSize(2);
            assertThat(dead)
                    .allSatisfy(
                            letter -> {
                                assertThat(letter.getReason()).isEqualTo("PROCESSING_FAILED");
                                assertThat(letter.getJob()).isEqualTo("derived-series");
                                assertThat(letter.getMetric()).isIn("site.voltage", "site.current");
                                assertThat(new String(letter.getOriginal().array(), UTF_8))
                                        .contains("\"eventMillis\":" + T0);
                            });
            aligner.processWatermark(new Watermark(Long.MAX_VALUE));
            aligner.endInput();
            assertThat(aligner.extractOutputValues())
                    .extracting(Observation::getSeriesKey)
                    .containsOnly(hq);
            assertThat(aligner.numKeyedStateEntries()).isZero();
        }
    }
}
