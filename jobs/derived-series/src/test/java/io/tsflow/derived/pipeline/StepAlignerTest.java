package io.tsflow.derived.pipeline;

import static io.tsflow.derived.rules.DerivedRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class StepAlignerTest {

    private static final long S = 1000;
    private static final long T0 = 1_763_805_600_000L; // a multiple of 10 s

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
            router =
                    new OneInputStreamOperatorTestHarness<>(
                            new StreamFlatMap<>(new RuleRouter(List.of(rules))));
            router.open();
            aligner =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new StepAligner(List.of(rules))),
                            RuleInput::ruleAndTarget,
                            Types.STRING);
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

        void watermark(long at) throws Exception {
            aligner.processWatermark(new Watermark(at));
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
            rig.watermark(T0 + 30 * S);
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=460.0",
                            "site.power{site=\"hq\"}@20=690.0",
                            "site.power{site=\"hq\"}@30=720.0");
            // 40: voltage 240 (26) and current 3 (14) still within 30 s; 50: current is gone.
            rig.watermark(T0 + 50 * S);
            assertThat(rig.emitted()).containsExactly("site.power{site=\"hq\"}@40=720.0");
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
            rig.watermark(T0 + 20 * S);
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
            rig.watermark(T0 + 20 * S);
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=200.0", "site.power{site=\"hq\"}@20=200.0");
            rig.point("site.current", HQ, T0 + 9 * S, 2); // 11 s behind the watermark: allowed
            assertThat(rig.emitted())
                    .containsExactly(
                            "site.power{site=\"hq\"}@10=400.0", "site.power{site=\"hq\"}@20=400.0");
            rig.watermark(T0 + 40 * S);
            rig.emitted();
            rig.point("site.current", HQ, T0 + 15 * S, 100); // 25 s behind: too late
            assertThat(rig.emitted()).isEmpty();
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
            rig.watermark(T0 + 20 * S);
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
            rig.watermark(T0 + 10 * 60 * S);
            assertThat(rig.emitted()).hasSize(3); // steps 10, 20, 30
            assertThat(rig.aligner.numKeyedStateEntries()).isZero();
            assertThat(rig.aligner.numEventTimeTimers()).isZero();
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
    }
}
