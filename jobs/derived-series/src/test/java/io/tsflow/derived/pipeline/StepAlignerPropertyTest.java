package io.tsflow.derived.pipeline;

import static io.tsflow.derived.rules.DerivedRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.derived.rules.DerivedRule;
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
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of input points, routed as in the job: changing types, extreme and non-finite
 * values, divisions by zero, timestamps at the ends of the accepted range, repeated and out of
 * order, processing time jumping. The aligner never throws (no {@code PROCESSING_FAILED} dead
 * letter), every derived point is finite, and the end of the input leaves no state and no timer.
 */
class StepAlignerPropertyTest {

    private static final long MIN_MICROS = -62_135_596_800_000_000L;
    private static final long MAX_MICROS = 253_402_300_799_999_999L;
    private static final List<DerivedRule> RULES =
            List.of(
                    rule(
                            "{name: ratio, metric: site.ratio, by: [site], step: 10s, lookback:"
                                    + " 30s, inputs: {a: {metric: site\\.a}, b: {metric:"
                                    + " site\\.b}}, expression: 'a / b'}"),
                    rule(
                            "{name: mean, metric: site.mean, by: [site], step: 1m, lookback: 1m,"
                                    + " inputs: {a: {metric: 'site\\.(a|b)'}}, expression:"
                                    + " 'avg(a)'}"));
    private static final String[] TYPES = {"tdouble", "tlong", "tbool", "ttext", "pos2d"};

    private static Object valueOf(String type, Random random) {
        return switch (type) {
            case "tdouble" ->
                    switch (random.nextInt(8)) {
                        case 0 -> Double.NaN;
                        case 1 -> Double.MAX_VALUE;
                        case 2 -> 0.0;
                        default -> random.nextGaussian();
                    };
            case "tlong" -> random.nextBoolean() ? Long.MAX_VALUE : 0L;
            case "tbool" -> random.nextBoolean();
            case "ttext" -> "x";
            default -> new Pos2d(1.0, 2.0);
        };
    }

    // Points centuries apart once made the aligner walk every empty step between them.
    @Timeout(60)
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void noSequenceOfInputsMakesTheAlignerThrowOrLeaveStateBehind(long seed) throws Exception {
        Random random = new Random(seed);
        try (var router =
                        new OneInputStreamOperatorTestHarness<>(
                                new StreamFlatMap<>(new RuleRouter(RULES)));
                var aligner =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new StepAligner(
                                                RULES,
                                                new SeriesTiming(
                                                        Duration.ofSeconds(5),
                                                        Duration.ofMinutes(1),
                                                        Duration.ofMinutes(30)))
                                        .operator(),
                                RuleInput::ruleAndTarget,
                                Types.STRING)) {
            router.open();
            aligner.open();
            long now = 0;
            long event = 1_763_805_600_000L;
            for (int i = 0; i < 2_000; i++) {
                Map<String, String> tags = Map.of("site", "s" + random.nextInt(3));
                String metric = random.nextBoolean() ? "site.a" : "site.b";
                String type = TYPES[random.nextInt(random.nextInt(8) == 0 ? TYPES.length : 2)];
                long micros =
                        switch (random.nextInt(30)) {
                            case 0 -> MIN_MICROS;
                            case 1 -> MAX_MICROS;
                            default -> (event + (random.nextInt(60) - 20) * 1000L) * 1000;
                        };
                router.processElement(
                        new StreamRecord<>(
                                new Observation(
                                        SeriesKey.of(metric, new TreeMap<>(tags)),
                                        metric,
                                        tags,
                                        type,
                                        micros,
                                        valueOf(type, random),
                                        Origin.MEASURED,
                                        null)));
                for (RuleInput input : router.extractOutputValues()) {
                    aligner.processElement(new StreamRecord<>(input));
                }
                router.getOutput().clear();
                event += random.nextInt(5) * 1000L;
                if (random.nextInt(40) == 0) {
                    now += random.nextInt(4) == 0 ? 40 * 60_000 : 20_000;
                    aligner.setProcessingTime(now);
                }
            }
            aligner.processWatermark(new Watermark(Long.MAX_VALUE));
            aligner.endInput();
            List<Rejected> refused =
                    aligner.getSideOutput(StepAligner.REFUSED) == null
                            ? List.of()
                            : aligner.getSideOutput(StepAligner.REFUSED).stream()
                                    .map(StreamRecord::getValue)
                                    .toList();
            assertThat(refused).isEmpty();
            assertThat(aligner.extractOutputValues())
                    .isNotEmpty()
                    .allSatisfy(
                            point ->
                                    assertThat(Double.isFinite((Double) point.getValue()))
                                            .isTrue());
            assertThat(aligner.numKeyedStateEntries()).isZero();
            assertThat(aligner.numEventTimeTimers()).isZero();
            assertThat(aligner.numProcessingTimeTimers()).isZero();
        }
    }
}
