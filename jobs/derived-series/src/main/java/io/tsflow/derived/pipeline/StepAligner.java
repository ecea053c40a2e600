package io.tsflow.derived.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.common.time.SilenceClock;
import io.tsflow.derived.expression.InputUse;
import io.tsflow.derived.expression.RuleExpression;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.derived.rules.FillPolicy;
import io.tsflow.runtime.ClosesAtEndOfInput;
import io.tsflow.runtime.DownstreamFailure;
import io.tsflow.runtime.EndOfInputOperator;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.runtime.SilenceTimer;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes one derived series (the key: rule and target series) on a grid of event time: at each
 * multiple of the rule's {@code step}, the expression over each input's points in {@code (step -
 * lookback, step]}. A step with no input point at all is not evaluated; one with a missing input
 * follows the rule's fill policy; one whose result is not a finite number is skipped.
 *
 * <p>A step is computed once every input series it needs has passed it: the derived series' clock
 * is the slowest of its input series that are still sending, each on its own clock (its newest
 * event time minus {@code outOfOrderness}; see {@link TargetProgress}). So a backlog, partitions
 * read in any order, or a gateway uploading buffered hours give the same points as live data. An
 * input series silent for the idle delay (processing time) holds nothing back; a new derived series
 * first waits that long for the rest of its inputs to show up. When every input is silent, the
 * steps up to their last points (and their lookback) are computed provisionally: points that arrive
 * later make them be computed again. At the end of a bounded input every step is final.
 *
 * <p>An input point at or before the last step computed, by at most {@code allowedLateness},
 * recomputes the steps it falls into, emitted again with the same series and timestamp (an upsert
 * downstream); later ones are counted and dropped.
 *
 * <p>State: per input series its points within lookback plus lateness (and its newest point), and
 * the derived series' progress. A derived series whose inputs all stay silent for {@code
 * forgetAfter} is forgotten: state and timers. Timers: one processing-time timer per derived series
 * at a time, and no event-time timer: the end of a bounded input (or a stop with drain) reaches
 * every derived series through {@link EndOfInputOperator}.
 */
public class StepAligner extends KeyedProcessFunction<String, RuleInput, Observation>
        implements ClosesAtEndOfInput<String, Observation> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StepAligner.class);

    /** Input points that made the aligner throw: dead letters. */
    public static final OutputTag<Rejected> REFUSED = new OutputTag<>("refused-inputs") {};

    /** The state whose keys are the derived series this subtask holds. */
    static final String PROGRESS_STATE = "target-progress";

    private final List<DerivedRule> rules;
    private final SeriesTiming timing;

    private transient List<RuleExpression> expressions;
    private transient MapState<String, SeriesWindow> windows;
    private transient ValueState<TargetProgress> progressState;
    private transient Counter emitted;
    private transient Counter recomputed;
    private transient Counter skipped;
    private transient Counter notFinite;
    private transient Counter tooLate;
    private transient Counter processingFailures;

    /**
     * Set by {@link #compute} for a step without points: the earliest input point after the step's
     * window opens ({@code Long.MAX_VALUE}: none), so that the caller can jump to it; {@code
     * Long.MIN_VALUE} after a step with points.
     */
    private transient long nextPointMillis;

    private transient long outOfOrdernessMillis;

    /** Which input series are silent, on this task's processing time. */
    private transient SilenceClock silence;

    public StepAligner(List<DerivedRule> rules, SeriesTiming timing) {
        this.rules = List.copyOf(rules);
        this.timing = timing;
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
        progressState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        PROGRESS_STATE, Types.POJO(TargetProgress.class)));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("tsflow");
        emitted = metrics.counter("derivedPointsEmitted");
        recomputed = metrics.counter("derivedPointsRecomputed");
        skipped = metrics.counter("stepsSkipped");
        notFinite = metrics.counter("stepsNotFinite");
        tooLate = metrics.counter("inputsTooLate");
        processingFailures = metrics.counter("processingFailures");
        outOfOrdernessMillis = timing.outOfOrderness().toMillis();
        silence = new SilenceClock(timing);
    }

    private long now(TimerService timers) {
        return silence.observe(timers.currentProcessingTime());
    }

    private static int ruleOf(String key) {
        return Integer.parseInt(key.substring(0, key.indexOf('|')));
    }

    @Override
    public void processElement(RuleInput point, Context context, Collector<Observation> downstream)
            throws Exception {
        DownstreamFailure.isolate(
                () -> align(point, context, DownstreamFailure.marking(downstream)),
                failure -> pointFailed(point, context, failure));
    }

    /** An input point made the aligner throw: it goes to the dead-letter topic, counted. */
    private void pointFailed(RuleInput point, Context context, RuntimeException failure) {
        LOG.warn(
                "Derived series {} failed on an input point; it goes to the dead-letter topic",
                context.getCurrentKey(),
                failure);
        processingFailures.inc();
        Rejected rejected =
                ObservationRejects.ofValue(
                        point.seriesKey,
                        point.eventMillis,
                        point.toString(),
                        "derived-series",
                        RejectReason.PROCESSING_FAILED,
                        ObservationRejects.describe(failure),
                        failure);
        DownstreamFailure.marking(() -> context.output(REFUSED, rejected));
    }

    /** What an input point does to its derived series. Package-private: a test makes it fail. */
    void align(RuleInput point, Context context, Collector<Observation> out) throws Exception {
        TimerService timers = context.timerService();
        long now = now(timers);
        DerivedRule rule = rules.get(point.rule);
        TargetProgress progress = progressState.value();
        if (progress == null) {
            progress = new TargetProgress();
            progress.createdAtMillis = now;
        }
        long done = progress.computedThroughMillis;
        if (done != TargetProgress.NONE
                && done - point.eventMillis > rule.allowedLatenessOrDefault().toMillis()) {
            tooLate.inc();
            progressState.update(progress);
            return;
        }
        progress.wakeAtMillis =
                SilenceTimer.afterArrival(progress.wakeAtMillis, silence.idleAt(now), timers);
        String seriesId = point.input + '\u0000' + point.seriesKey;
        SeriesWindow window = windows.get(seriesId);
        if (window == null) {
            window = new SeriesWindow(point.input);
        }
        window.add(point.eventMillis, point.value);
        windows.put(seriesId, window);
        progress.arrived(seriesId, point.eventMillis, now);

        String key = context.getCurrentKey();
        if (done != TargetProgress.NONE && point.eventMillis <= done) {
            // Late: recompute every computed step whose window holds the point.
            long step = rule.stepOrDefault().toMillis();
            long lookback = rule.lookbackOrDefault().toMillis();
            for (long s = ceil(point.eventMillis, step);
                    s <= done && s - lookback < point.eventMillis;
                    s += step) {
                if (compute(point.rule, key, s, out)) {
                    recomputed.inc();
                }
            }
        }
        computeThrough(progress, clock(progress, now), key, out);
        progressState.update(progress);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Observation> downstream)
            throws Exception {
        DownstreamFailure.isolate(
                () -> wake(context, DownstreamFailure.marking(downstream)),
                failure ->
                        keyFailed(
                                context.getCurrentKey(),
                                context.timerService(),
                                rejected -> context.output(REFUSED, rejected),
                                failure));
    }

    /** The operator that runs this function and tells every derived series when the input ends. */
    public EndOfInputOperator<String, RuleInput, Observation> operator() {
        return new EndOfInputOperator<>(this, PROGRESS_STATE, REFUSED);
    }

    /**
     * The end of a bounded input, or a stop with drain, for the current derived series: every step
     * up to its inputs' last points is final, and the series is forgotten.
     */
    @Override
    public void endOfInput(String key, TimerService timers, Collector<Observation> out)
            throws Exception {
        closeAtEnd(progressState.value(), key, timers, out);
    }

    /**
     * No point to blame: the derived series is forgotten, so that it cannot fail every restore; it
     * starts again from its inputs' next points. Counted, not dead-lettered: a derived series has
     * no input record of its own to send.
     */
    @Override
    public void keyFailed(
            String key, TimerService timers, Consumer<Rejected> refused, RuntimeException failure)
            throws Exception {
        LOG.warn("Derived series {} failed in a timer; its state is dropped", key, failure);
        processingFailures.inc();
        TargetProgress progress = progressState.value();
        if (progress != null) {
            forget(progress, timers);
        }
    }

    private void wake(OnTimerContext context, Collector<Observation> out) throws Exception {
        TargetProgress progress = progressState.value();
        if (progress == null) {
            return;
        }
        TimerService timers = context.timerService();
        String key = context.getCurrentKey();
        if (context.timeDomain() == TimeDomain.EVENT_TIME) {
            // The end of the input, for a derived series that an earlier build gave the timer.
            closeAtEnd(progress, key, timers, out);
            return;
        }
        long now = now(timers);
        progress.wakeAtMillis = SilenceTimer.NONE;
        computeThrough(progress, clock(progress, now), key, out);
        long lastArrival = progress.lastArrivalOfAll();
        SilenceClock.Stage stage = silence.stageAt(now, lastArrival);
        if (stage == SilenceClock.Stage.EXPIRED) {
            forget(progress, timers);
            return;
        }
        if (stage == SilenceClock.Stage.IDLE) {
            computeProvisionally(progress, key, out);
        }
        progress.wakeAtMillis = SilenceTimer.set(silence.nextChange(now, lastArrival), timers);
        progressState.update(progress);
    }

    /**
     * The end of the input: every step up to the inputs' last points is final. Package-private: a
     * test makes it fail.
     */
    void closeAtEnd(
            TargetProgress progress, String key, TimerService timers, Collector<Observation> out)
            throws Exception {
        computeThrough(progress, trailingEnd(progress, key), key, out);
        forget(progress, timers);
    }

    /**
     * The derived series' clock: the slowest input series still sending, on its own clock; {@link
     * TargetProgress#NONE} while the derived series is new (its inputs may not all have shown up
     * yet) or every input is silent.
     */
    private long clock(TargetProgress progress, long now) {
        if (silence.stageAt(now, progress.createdAtMillis) == SilenceClock.Stage.ACTIVE) {
            return TargetProgress.NONE;
        }
        long clock = Long.MAX_VALUE;
        for (int i = 0; i < progress.members.length; i++) {
            if (silence.stageAt(now, progress.lastArrivalMillis[i]) == SilenceClock.Stage.ACTIVE) {
                clock = Math.min(clock, progress.newestMillis[i] - outOfOrdernessMillis - 1);
            }
        }
        return clock == Long.MAX_VALUE ? TargetProgress.NONE : clock;
    }

    /** The last step whose lookback still holds a point of some input. */
    private long trailingEnd(TargetProgress progress, String key) {
        DerivedRule rule = rules.get(ruleOf(key));
        long newest = progress.newestOfAll();
        return newest == TargetProgress.NONE
                ? TargetProgress.NONE
                : newest + rule.lookbackOrDefault().toMillis() - 1;
    }

    /**
     * Computes, for good, every step after the last one computed and at or before {@code clock}.
     */
    private void computeThrough(
            TargetProgress progress, long clock, String key, Collector<Observation> out)
            throws Exception {
        if (clock == TargetProgress.NONE || progress.firstEventMillis == TargetProgress.NONE) {
            return;
        }
        int ruleIndex = ruleOf(key);
        DerivedRule rule = rules.get(ruleIndex);
        long step = rule.stepOrDefault().toMillis();
        long first =
                progress.computedThroughMillis == TargetProgress.NONE
                        ? ceil(progress.firstEventMillis, step)
                        : progress.computedThroughMillis + step;
        long last = Math.floorDiv(clock, step) * step;
        if (last < first) {
            return;
        }
        computeSteps(ruleIndex, key, first, last, step, out);
        progress.computedThroughMillis = last;
        prune(progress, rule, last);
    }

    /**
     * Every input is silent: computes the steps up to their last points and lookback as they stand,
     * without taking them for final.
     */
    private void computeProvisionally(
            TargetProgress progress, String key, Collector<Observation> out) throws Exception {
        long end = trailingEnd(progress, key);
        if (end == TargetProgress.NONE) {
            return;
        }
        int ruleIndex = ruleOf(key);
        long step = rules.get(ruleIndex).stepOrDefault().toMillis();
        long first =
                progress.computedThroughMillis == TargetProgress.NONE
                        ? ceil(progress.firstEventMillis, step)
                        : progress.computedThroughMillis + step;
        long last = Math.floorDiv(end, step) * step;
        computeSteps(ruleIndex, key, first, last, step, out);
    }

    /**
     * Computes the steps {@code first..last}, jumping over stretches where no input has a point: a
     * sensor offline for a month, or a point stamped centuries away, costs one step per point, not
     * one per empty step.
     */
    private void computeSteps(
            int ruleIndex, String key, long first, long last, long step, Collector<Observation> out)
            throws Exception {
        for (long s = first; s <= last; s += step) {
            if (!compute(ruleIndex, key, s, out) && nextPointMillis > s) {
                if (nextPointMillis == Long.MAX_VALUE) {
                    return;
                }
                // The loop adds the step: land on the first step whose window holds the point.
                s = Math.max(s, ceil(nextPointMillis, step) - step);
            }
        }
    }

    /**
     * Drops the points no step after {@code computed} can need, and the input series left with none
     * that matter.
     */
    private void prune(TargetProgress progress, DerivedRule rule, long computed) throws Exception {
        long horizon =
                computed
                        - rule.lookbackOrDefault().toMillis()
                        - rule.allowedLatenessOrDefault().toMillis();
        Iterator<Map.Entry<String, SeriesWindow>> entries = windows.iterator();
        List<String> silent = new ArrayList<>();
        while (entries.hasNext()) {
            Map.Entry<String, SeriesWindow> entry = entries.next();
            SeriesWindow window = entry.getValue();
            if (window.newestTime() > horizon) {
                if (window.prune(horizon)) {
                    entry.setValue(window);
                }
            } else {
                silent.add(entry.getKey());
            }
        }
        for (String series : silent) {
            windows.remove(series);
            progress.remove(series);
        }
    }

    /** Drops everything kept for the derived series: windows, progress and timers. */
    private void forget(TargetProgress progress, TimerService timers) throws Exception {
        windows.clear();
        SilenceTimer.clear(progress.wakeAtMillis, timers);
        // The end-of-input timer of an earlier build is left to fire: it finds no progress.
        // Deleting it would cost every forgotten series a state write on RocksDB.
        progressState.clear();
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
        nextPointMillis = Long.MIN_VALUE;
        if (!anyPoint) {
            // Only an empty step looks ahead, for the caller to jump to the next point.
            long nextPoint = Long.MAX_VALUE;
            for (SeriesWindow window : windows.values()) {
                nextPoint = Math.min(nextPoint, window.firstAfter(stepMillis - lookback));
            }
            nextPointMillis = nextPoint;
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
