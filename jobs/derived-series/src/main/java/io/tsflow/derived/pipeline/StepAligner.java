package io.tsflow.derived.pipeline;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.derived.expression.InputUse;
import io.tsflow.derived.expression.RuleExpression;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.derived.rules.FillPolicy;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Computes one derived series (the key: rule and target series) on a grid of event time: at each
 * multiple of the rule's {@code step}, once the watermark passes it, the expression over each
 * input's points in {@code (step - lookback, step]}. A step with no input point at all is not
 * evaluated; one with a missing input follows the rule's fill policy; one whose result is not a
 * finite number is skipped. An input point up to {@code allowedLateness} behind the watermark
 * recomputes the steps it falls into, emitted again with the same series and timestamp (an upsert
 * downstream); later ones are counted and dropped.
 *
 * <p>State: per input series its points within lookback plus lateness (and its newest point), and
 * the last step computed. A derived series whose inputs all stay silent for lookback plus lateness
 * is forgotten: state and timers.
 */
public class StepAligner extends KeyedProcessFunction<String, RuleInput, Observation> {

    private static final long serialVersionUID = 1L;

    private final List<DerivedRule> rules;

    private transient List<RuleExpression> expressions;
    private transient MapState<String, SeriesWindow> windows;
    private transient ValueState<Long> computedThrough;
    private transient Counter emitted;
    private transient Counter recomputed;
    private transient Counter skipped;
    private transient Counter notFinite;
    private transient Counter tooLate;

    public StepAligner(List<DerivedRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext openContext) {
        expressions = new ArrayList<>();
        for (DerivedRule rule : rules) {
            expressions.add(rule.compiledExpression());
        }
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "input-windows",
                                        Types.STRING,
                                        Types.POJO(SeriesWindow.class)));
        computedThrough =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("computed-through", Types.LONG));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("tsflow");
        emitted = metrics.counter("derivedPointsEmitted");
        recomputed = metrics.counter("derivedPointsRecomputed");
        skipped = metrics.counter("stepsSkipped");
        notFinite = metrics.counter("stepsNotFinite");
        tooLate = metrics.counter("inputsTooLate");
    }

    @Override
    public void processElement(RuleInput point, Context context, Collector<Observation> out)
            throws Exception {
        DerivedRule rule = rules.get(point.rule);
        long step = rule.stepOrDefault().toMillis();
        long watermark = context.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE
                && watermark - point.eventMillis > rule.allowedLatenessOrDefault().toMillis()) {
            tooLate.inc();
            return;
        }
        String seriesId = point.input + '\u0000' + point.seriesKey;
        SeriesWindow window = windows.get(seriesId);
        if (window == null) {
            window = new SeriesWindow(point.input);
        }
        window.add(point.eventMillis, point.value);
        windows.put(seriesId, window);

        long firstStep = ceil(point.eventMillis, step);
        Long done = computedThrough.value();
        if (done != null && firstStep <= done) {
            // Late: recompute every computed step whose window holds the point.
            long lookback = rule.lookbackOrDefault().toMillis();
            for (long s = firstStep; s <= done && s - lookback < point.eventMillis; s += step) {
                if (compute(point.rule, context.getCurrentKey(), s, out)) {
                    recomputed.inc();
                }
            }
        } else {
            context.timerService().registerEventTimeTimer(firstStep);
        }
    }

    @Override
    public void onTimer(long stepMillis, OnTimerContext context, Collector<Observation> out)
            throws Exception {
        String key = context.getCurrentKey();
        int ruleIndex = Integer.parseInt(key.substring(0, key.indexOf('|')));
        DerivedRule rule = rules.get(ruleIndex);
        Long done = computedThrough.value();
        if (done != null && stepMillis <= done) {
            return; // already computed (a timer registered twice)
        }
        compute(ruleIndex, key, stepMillis, out);
        computedThrough.update(stepMillis);

        long step = rule.stepOrDefault().toMillis();
        long horizon =
                stepMillis
                        - rule.lookbackOrDefault().toMillis()
                        - rule.allowedLatenessOrDefault().toMillis();
        boolean alive = false;
        List<String> silent = new ArrayList<>();
        for (Map.Entry<String, SeriesWindow> entry : windows.entries()) {
            SeriesWindow window = entry.getValue();
            if (window.newestTime() > horizon) {
                alive = true;
                window.prune(horizon);
                entry.setValue(window);
            } else {
                silent.add(entry.getKey());
            }
        }
        if (!alive) {
            windows.clear();
            computedThrough.clear();
            return;
        }
        for (String series : silent) {
            windows.remove(series);
        }
        context.timerService().registerEventTimeTimer(stepMillis + step);
    }

    /** Computes and emits step {@code stepMillis}; false if it yields no point. */
    private boolean compute(int ruleIndex, String key, long stepMillis, Collector<Observation> out)
            throws Exception {
        DerivedRule rule = rules.get(ruleIndex);
        RuleExpression expression = expressions.get(ruleIndex);
        long lookback = rule.lookbackOrDefault().toMillis();
        Map<String, List<SeriesWindow>> byInput = new HashMap<>();
        boolean anyPoint = false;
        for (SeriesWindow window : windows.values()) {
            byInput.computeIfAbsent(window.input, input -> new ArrayList<>()).add(window);
            int[] range = window.range(stepMillis - lookback, stepMillis);
            anyPoint |= range[1] > range[0];
        }
        if (!anyPoint) {
            return false;
        }
        Map<String, Double> values = new HashMap<>();
        for (InputUse use : expression.uses()) {
            List<SeriesWindow> series = byInput.getOrDefault(use.input(), List.of());
            double value = WindowValues.of(use, series, stepMillis, lookback);
            if (Double.isNaN(value)) {
                value = fill(rule.fillPolicy(), use, series, stepMillis);
            }
            if (Double.isNaN(value) || value == WindowValues.AMBIGUOUS) {
                skipped.inc();
                return false;
            }
            values.put(use.variable(), value);
        }
        double result = expression.evaluate(values);
        if (Double.isNaN(result)) {
            notFinite.inc();
            return false;
        }
        String target = key.substring(key.indexOf('|') + 1);
        SeriesKey.Parts parts = SeriesKey.parse(target);
        out.collect(
                new Observation(
                        target,
                        parts.metric(),
                        new HashMap<>(parts.tags()),
                        "tdouble",
                        stepMillis * 1000,
                        result,
                        Origin.DERIVED,
                        rule.name()));
        emitted.inc();
        return true;
    }

    private static double fill(
            FillPolicy policy, InputUse use, List<SeriesWindow> series, long stepMillis) {
        return switch (policy) {
            case ZERO -> 0;
            case PREVIOUS ->
                    use.function() == InputUse.Function.LATEST
                            ? WindowValues.previous(series, stepMillis)
                            : Double.NaN;
            default -> Double.NaN;
        };
    }

    private static long ceil(long millis, long step) {
        return Math.floorDiv(millis + step - 1, step) * step;
    }
}
