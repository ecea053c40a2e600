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
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed half of the CEP engine. CEP's pattern operator keeps no state a function can read, so
 * this tracker, keyed by series like it, turns its {@link RuleMatch}es (condition true) and the
 * series' points (condition cleared: any point for stale, another value for stuck, a value back in
 * range for outOfRange) into FIRING and RESOLVED with the shared {@link AlertLifecycle}.
 *
 * <p>A stale match found while the job is behind (see {@link BacklogGate}) is held back until it
 * has caught up, and dropped if a point of the series arrives meanwhile. A match that an input race
 * delivers after a newer point that contradicts it is ignored.
 */
public class CepAlertTracker extends KeyedCoProcessFunction<String, Observation, RuleMatch, Alert>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final long STALE_RACE_MARGIN_MILLIS = 1000;

    private final WatchedRules watched;

    public CepAlertTracker(List<AlertRule> rules, WatchTiming timing) {
        this(rules, timing, Long.MAX_VALUE);
    }

    /** With at most {@code maxSeriesPerRule} series watched per rule by each subtask. */
    public CepAlertTracker(List<AlertRule> rules, WatchTiming timing, long maxSeriesPerRule) {
        this.watched = new WatchedRules(rules, timing, "cep-watch-", maxSeriesPerRule);
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
    public void processElement1(Observation point, Context context, Collector<Alert> out)
            throws Exception {
        watched.onPoint(
                point,
                rejected -> context.output(WatchedRules.REFUSED, rejected),
                () -> track(point, context, out));
    }

    /** What a point does to the series' watches. Package-private: a test makes it fail. */
    void track(Observation point, Context context, Collector<Alert> out) throws Exception {
        long now = context.timerService().currentProcessingTime();
        watched.gate.recordArrived(now);
        boolean overLimit = false;
        for (int i = 0; i < watched.size(); i++) {
            if (!watched.selects(i, point)) {
                continue;
            }
            AlertRule rule = watched.rules.get(i);
            RuleWatch watch = watched.watchOrNew(i);
            if (watch == null) {
                overLimit = true;
                continue;
            }
            watch.lastArrivalMillis = now;
            long eventMillis = point.getTimestampMicros() / 1000;
            boolean newest = eventMillis >= watch.lastEventMillis;
            boolean cleared = rule.alertKind() == AlertKind.STALE;
            watch.staleSuspectedMillis = RuleWatch.NONE;
            if (newest) {
                watch.lastEventMillis = eventMillis;
                double value = NumericValue.of(point.getValue());
                if (rule.alertKind() == AlertKind.STUCK) {
                    cleared = !Double.isNaN(value) && value != watch.lastValue;
                } else if (rule.alertKind() == AlertKind.OUT_OF_RANGE) {
                    cleared = !Double.isNaN(value) && !outside(rule, value);
                }
                if (!Double.isNaN(value)) {
                    watch.lastValue = value;
                }
            }
            if (cleared) {
                watched.lifecycle.condition(
                        rule, watch, false, now, context.getCurrentKey(), changes(context, out));
            }
            schedule(rule, watch, now, context.timerService());
            watched.save(i, watch);
        }
        if (overLimit) {
            watched.refuseByLimit(
                    point, rejected -> context.output(WatchedRules.REFUSED, rejected));
        }
    }

    @Override
    public void processElement2(RuleMatch match, Context context, Collector<Alert> out)
            throws Exception {
        long now = context.timerService().currentProcessingTime();
        AlertRule rule = watched.rules.get(match.rule);
        RuleWatch watch = watched.watchOrNew(match.rule);
        if (watch == null) {
            return; // the series is over the rule's limit: not watched
        }
        if (watch.lastArrivalMillis == RuleWatch.NONE) {
            watch.lastArrivalMillis = now;
        }
        if (contradicted(rule, watch, match, now)) {
            return;
        }
        if (watch.lastEventMillis < match.lastEventMillis) {
            watch.lastEventMillis = match.lastEventMillis;
            watch.lastValue = Double.isNaN(match.value) ? watch.lastValue : match.value;
        }
        if (rule.alertKind() == AlertKind.STALE
                && !watched.gate.caughtUp(now, context.timerService().currentWatermark())) {
            watch.staleSuspectedMillis = now;
            watched.metrics.staleHeldBack.inc();
        } else {
            watched.lifecycle.condition(
                    rule, watch, true, now, context.getCurrentKey(), changes(context, out));
        }
        schedule(rule, watch, now, context.timerService());
        watched.save(match.rule, watch);
    }

    /**
     * The match is contradicted by what this tracker has seen since: for stale, a point that
     * arrived here well after the one CEP timed out on (the two inputs race by milliseconds, and
     * points from parallel partitions arrive out of event-time order, so arrival time decides); for
     * stuck and out-of-range, a newer point whose value ends the run.
     */
    private static boolean contradicted(
            AlertRule rule, RuleWatch watch, RuleMatch match, long now) {
        if (rule.alertKind() == AlertKind.STALE) {
            long margin = Math.min(STALE_RACE_MARGIN_MILLIS, rule.staleMillis() / 10);
            return watch.lastArrivalMillis != RuleWatch.NONE
                    && now - watch.lastArrivalMillis < rule.staleMillis() - margin;
        }
        if (watch.lastEventMillis == RuleWatch.NONE
                || watch.lastEventMillis <= match.lastEventMillis) {
            return false;
        }
        return rule.alertKind() == AlertKind.STUCK
                ? watch.lastValue != match.value
                : !outside(rule, watch.lastValue);
    }

    private static boolean outside(AlertRule rule, double value) {
        return (rule.min() != null && value < rule.min())
                || (rule.max() != null && value > rule.max());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
            throws Exception {
        watched.onTimer(context.getCurrentKey(), () -> wake(context, out));
    }

    private void wake(OnTimerContext context, Collector<Alert> out) throws Exception {
        String series = context.getCurrentKey();
        AlertLifecycle.Changes changes = changes(context, out);
        watched.wakeAll(
                series,
                context.timerService(),
                changes,
                (rule, watch, now) -> {
                    if (watch.staleSuspectedMillis != RuleWatch.NONE
                            && watched.gate.caughtUp(
                                    now, context.timerService().currentWatermark())) {
                        watch.staleSuspectedMillis = RuleWatch.NONE;
                        watched.lifecycle.condition(rule, watch, true, now, series, changes);
                    }
                    watched.lifecycle.due(rule, watch, now, series, changes);
                    schedule(rule, watch, now, context.timerService());
                });
    }

    private AlertLifecycle.Changes changes(Context context, Collector<Alert> out) {
        return watched.metrics.changes(
                out, alert -> context.output(SeriesWatcher.DELIVERIES, alert));
    }

    private void schedule(AlertRule rule, RuleWatch watch, long now, TimerService timers) {
        long next = watched.lifecycle.nextDeadline(rule, watch);
        if (watch.staleSuspectedMillis != RuleWatch.NONE) {
            next = Math.min(next, now + watched.timing.recheckEvery().toMillis());
        }
        WatchedRules.wakeBy(watch, next, timers);
    }
}
