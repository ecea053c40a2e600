package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.types.NumericValue;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertKind;
import io.tsflow.schema.Observation;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Watches each series (the key) for every rule that selects it, with one processing-time timer per
 * rule and series at a time: points only update state, and a timer that finds the series alive
 * moves itself forward (so a series reporting every second costs no timer work per point).
 *
 * <p>The main output carries the state changes (FIRING, RESOLVED) for topic {@code alerts}; {@link
 * #DELIVERIES} carries the same changes, in the same order, and each firing alert again every
 * {@code resendEvery}, for Alertmanager. Pending ({@code for}) and {@code keepFiringFor} run on
 * processing time, like Prometheus' evaluation; stuck durations on the points' event time. A rule's
 * state for a series is dropped after {@code forgetAfter} of silence, its alert resolved with the
 * reason "expired".
 */
public class SeriesWatcher extends KeyedProcessFunction<String, Observation, Alert>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> DELIVERIES = new OutputTag<>("alert-deliveries") {};

    private final WatchedRules watched;

    public SeriesWatcher(List<AlertRule> rules, WatchTiming timing) {
        this(rules, timing, Long.MAX_VALUE);
    }

    /** With at most {@code maxSeriesPerRule} series watched per rule by each subtask. */
    public SeriesWatcher(List<AlertRule> rules, WatchTiming timing, long maxSeriesPerRule) {
        this.watched = new WatchedRules(rules, timing, "watch-", maxSeriesPerRule);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watched.initializeCounts(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watched.snapshotCounts();
    }

    @Override
    public void open(OpenContext openContext) {
        watched.open(getRuntimeContext());
    }

    @Override
    public void processElement(Observation point, Context context, Collector<Alert> out)
            throws Exception {
        watched.onPoint(
                point,
                rejected -> context.output(WatchedRules.REFUSED, rejected),
                () -> watch(point, context, out));
    }

    /** What a point does to the series' watches. Package-private: a test makes it fail. */
    void watch(Observation point, Context context, Collector<Alert> out) throws Exception {
        long now = context.timerService().currentProcessingTime();
        watched.gate.recordArrived(now);
        AlertLifecycle.Changes changes = null;
        boolean overLimit = false;
        for (int i = 0; i < watched.size(); i++) {
            if (!watched.selects(i, point)) {
                continue;
            }
            RuleWatch watch = watched.watchOrNew(i);
            if (watch == null) {
                overLimit = true;
                continue;
            }
            AlertRule rule = watched.rules.get(i);
            Boolean condition = observe(rule, watch, point, now);
            if (condition != null) {
                if (changes == null) {
                    changes = changes(context, out);
                }
                watched.lifecycle.condition(
                        rule, watch, condition, now, context.getCurrentKey(), changes);
            }
            schedule(rule, watch, now, false, context.timerService());
            watched.save(i, watch);
        }
        if (overLimit) {
            watched.refuseByLimit(
                    point, rejected -> context.output(WatchedRules.REFUSED, rejected));
        }
    }

    /**
     * Records the point; returns the rule's condition after it, or null when the point says nothing
     * about it (a value that is not a number, or an older point arriving late).
     */
    private static Boolean observe(AlertRule rule, RuleWatch watch, Observation point, long now) {
        watch.lastArrivalMillis = now;
        long eventMillis = point.getTimestampMicros() / 1000;
        if (watch.lastEventMillis != RuleWatch.NONE && eventMillis < watch.lastEventMillis) {
            // Late: the sensor is alive, but the run of values is about the newest points.
            return rule.alertKind() == AlertKind.STALE ? Boolean.FALSE : null;
        }
        watch.lastEventMillis = eventMillis;
        double value = NumericValue.of(point.getValue());
        double previous = watch.lastValue;
        watch.lastValue = value;
        switch (rule.alertKind()) {
            case STALE:
                return Boolean.FALSE;
            case STUCK:
                if (Double.isNaN(value)) {
                    watch.runPoints = 0;
                    return null;
                }
                if (watch.runPoints > 0 && value == previous) {
                    watch.runPoints++;
                } else {
                    watch.runPoints = 1;
                    watch.runStartEventMillis = eventMillis;
                }
                return (rule.stuckPointCount() > 0 && watch.runPoints >= rule.stuckPointCount())
                        || (rule.stuckMillis() > 0
                                && eventMillis - watch.runStartEventMillis >= rule.stuckMillis());
            default:
                if (Double.isNaN(value)) {
                    return null;
                }
                boolean outside =
                        (rule.min() != null && value < rule.min())
                                || (rule.max() != null && value > rule.max());
                watch.outOfRangePoints = outside ? watch.outOfRangePoints + 1 : 0;
                return watch.outOfRangePoints >= rule.outOfRangePointCount();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
            throws Exception {
        watched.onTimer(context.getCurrentKey(), () -> wake(context, out));
    }

    private void wake(OnTimerContext context, Collector<Alert> out) throws Exception {
        AlertLifecycle.Changes changes = changes(context, out);
        String seriesKey = context.getCurrentKey();
        watched.wakeAll(
                seriesKey,
                context.timerService(),
                changes,
                (rule, watch, now) -> {
                    boolean heldBack = false;
                    if (rule.alertKind() == AlertKind.STALE
                            && now - watch.lastArrivalMillis
                                    >= rule.staleMillis() + rule.pendingMillis()) {
                        if (watch.firing()) {
                            watch.clearSinceMillis = RuleWatch.NONE; // silent again: keep firing
                        } else if (watched.gate.caughtUp(
                                now, context.timerService().currentWatermark())) {
                            watched.lifecycle.fire(rule, watch, now, seriesKey, changes);
                        } else {
                            heldBack = true;
                            watched.metrics.staleHeldBack.inc();
                        }
                    }
                    watched.lifecycle.due(rule, watch, now, seriesKey, changes);
                    schedule(rule, watch, now, heldBack, context.timerService());
                });
    }

    /** The changes go to the main output and to delivery; re-sends to delivery only. */
    private AlertLifecycle.Changes changes(Context context, Collector<Alert> out) {
        return watched.metrics.changes(out, alert -> context.output(DELIVERIES, alert));
    }

    /**
     * Makes sure a timer wakes the watch at its next deadline. An earlier timer already set is
     * kept: when it fires and finds nothing due, it sets the next one (lazy, so points cost no
     * timer deletions).
     */
    private void schedule(
            AlertRule rule, RuleWatch watch, long now, boolean heldBack, TimerService timers) {
        long next = watched.lifecycle.nextDeadline(rule, watch);
        if (rule.alertKind() == AlertKind.STALE && !watch.firing()) {
            next =
                    Math.min(
                            next,
                            heldBack
                                    ? now + watched.timing.recheckEvery().toMillis()
                                    : watch.lastArrivalMillis
                                            + rule.staleMillis()
                                            + rule.pendingMillis());
        }
        WatchedRules.wakeBy(watch, next, timers);
    }
}
