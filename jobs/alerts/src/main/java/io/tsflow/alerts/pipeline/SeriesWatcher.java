package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertKind;
import io.tsflow.schema.AlertStatus;
import io.tsflow.schema.Observation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
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
public class SeriesWatcher extends KeyedProcessFunction<String, Observation, Alert> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> DELIVERIES = new OutputTag<>("alert-deliveries") {};

    private final List<AlertRule> rules;
    private final WatchTiming timing;

    private transient List<SeriesSelector> selectors;
    private transient List<ValueState<RuleWatch>> watches;
    private transient BacklogGate gate;
    private transient Counter fired;
    private transient Counter resolved;
    private transient Counter staleHeldBack;
    private transient Counter forgotten;

    public SeriesWatcher(List<AlertRule> rules, WatchTiming timing) {
        this.rules = List.copyOf(rules);
        this.timing = timing;
    }

    @Override
    public void open(OpenContext openContext) {
        selectors = new ArrayList<>();
        watches = new ArrayList<>();
        for (AlertRule rule : rules) {
            selectors.add(rule.selector());
            watches.add(
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "watch-" + rule.name(), RuleWatch.class)));
        }
        // The operator's clock (not System.currentTimeMillis) so that tests can drive it.
        long now =
                ((StreamingRuntimeContext) getRuntimeContext())
                        .getProcessingTimeService()
                        .getCurrentProcessingTime();
        gate = new BacklogGate(timing.maxLag(), timing.startupGrace(), timing.activeWithin(), now);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("tsflow");
        fired = metrics.counter("alertsFired");
        resolved = metrics.counter("alertsResolved");
        staleHeldBack = metrics.counter("staleChecksHeldBackByBacklog");
        forgotten = metrics.counter("watchesForgotten");
    }

    @Override
    public void processElement(Observation point, Context context, Collector<Alert> out)
            throws Exception {
        long now = context.timerService().currentProcessingTime();
        gate.recordArrived(now);
        for (int i = 0; i < rules.size(); i++) {
            if (!selectors.get(i).matches(point.getMetric(), point.getTagset())) {
                continue;
            }
            ValueState<RuleWatch> state = watches.get(i);
            RuleWatch watch = state.value();
            if (watch == null) {
                watch = new RuleWatch();
            }
            AlertRule rule = rules.get(i);
            Boolean condition = observe(rule, watch, point, now);
            if (condition != null) {
                changeCondition(rule, watch, condition, now, context, out);
            }
            schedule(rule, watch, now, false, context.timerService());
            state.update(watch);
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
        double value = numeric(point.getValue());
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

    private static double numeric(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }

    private void changeCondition(
            AlertRule rule,
            RuleWatch watch,
            boolean condition,
            long now,
            Context context,
            Collector<Alert> out) {
        String seriesKey = context.getCurrentKey();
        if (condition) {
            switch (watch.phase) {
                case RuleWatch.INACTIVE -> {
                    watch.phase = RuleWatch.PENDING;
                    watch.pendingSinceMillis = now;
                    if (rule.pendingMillis() == 0) {
                        fire(rule, watch, now, seriesKey, context, out);
                    }
                }
                case RuleWatch.PENDING -> {
                    if (now - watch.pendingSinceMillis >= rule.pendingMillis()) {
                        fire(rule, watch, now, seriesKey, context, out);
                    }
                }
                default -> watch.clearSinceMillis = RuleWatch.NONE;
            }
        } else if (watch.phase == RuleWatch.PENDING) {
            watch.phase = RuleWatch.INACTIVE;
            watch.pendingSinceMillis = RuleWatch.NONE;
        } else if (watch.firing()) {
            if (rule.keepFiringMillis() == 0) {
                resolve(rule, watch, now, seriesKey, null, context, out);
            } else if (watch.clearSinceMillis == RuleWatch.NONE) {
                watch.clearSinceMillis = now;
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
            throws Exception {
        long now = context.timerService().currentProcessingTime();
        String seriesKey = context.getCurrentKey();
        for (int i = 0; i < rules.size(); i++) {
            ValueState<RuleWatch> state = watches.get(i);
            RuleWatch watch = state.value();
            if (watch == null || watch.wakeUpMillis == RuleWatch.NONE || watch.wakeUpMillis > now) {
                continue; // not this rule's timer, or one it no longer needs
            }
            watch.wakeUpMillis = RuleWatch.NONE;
            AlertRule rule = rules.get(i);
            long silentFor = now - watch.lastArrivalMillis;
            if (silentFor >= rule.forgetMillis()) {
                if (watch.firing()) {
                    resolve(
                            rule,
                            watch,
                            now,
                            seriesKey,
                            "expired: silent for " + silentFor / 1000 + " s",
                            context,
                            out);
                }
                state.clear();
                forgotten.inc();
                continue;
            }
            boolean heldBack = false;
            if (rule.alertKind() == AlertKind.STALE
                    && silentFor >= rule.staleMillis() + rule.pendingMillis()) {
                if (watch.firing()) {
                    watch.clearSinceMillis = RuleWatch.NONE; // silent again: keep firing
                } else if (gate.caughtUp(now, context.timerService().currentWatermark())) {
                    fire(rule, watch, now, seriesKey, context, out);
                } else {
                    heldBack = true;
                    staleHeldBack.inc();
                }
            }
            if (watch.phase == RuleWatch.PENDING
                    && now - watch.pendingSinceMillis >= rule.pendingMillis()) {
                fire(rule, watch, now, seriesKey, context, out);
            }
            if (watch.firing()
                    && watch.clearSinceMillis != RuleWatch.NONE
                    && now - watch.clearSinceMillis >= rule.keepFiringMillis()) {
                resolve(rule, watch, now, seriesKey, null, context, out);
            }
            if (watch.firing() && now - watch.lastSentMillis >= timing.resendEvery().toMillis()) {
                context.output(
                        DELIVERIES,
                        AlertRecords.build(rule, seriesKey, watch, AlertStatus.FIRING, 0, null));
                watch.lastSentMillis = now;
            }
            schedule(rule, watch, now, heldBack, context.timerService());
            state.update(watch);
        }
    }

    private void fire(
            AlertRule rule,
            RuleWatch watch,
            long now,
            String seriesKey,
            Context context,
            Collector<Alert> out) {
        watch.phase = RuleWatch.FIRING;
        watch.pendingSinceMillis = RuleWatch.NONE;
        watch.firingSinceMillis = now;
        watch.clearSinceMillis = RuleWatch.NONE;
        watch.lastSentMillis = now;
        emit(AlertRecords.build(rule, seriesKey, watch, AlertStatus.FIRING, 0, null), context, out);
        fired.inc();
    }

    private void resolve(
            AlertRule rule,
            RuleWatch watch,
            long now,
            String seriesKey,
            String reason,
            Context context,
            Collector<Alert> out) {
        emit(
                AlertRecords.build(rule, seriesKey, watch, AlertStatus.RESOLVED, now, reason),
                context,
                out);
        resolved.inc();
        watch.phase = RuleWatch.INACTIVE;
        watch.pendingSinceMillis = RuleWatch.NONE;
        watch.firingSinceMillis = RuleWatch.NONE;
        watch.clearSinceMillis = RuleWatch.NONE;
        watch.lastSentMillis = RuleWatch.NONE;
    }

    private static void emit(Alert change, Context context, Collector<Alert> out) {
        out.collect(change);
        context.output(DELIVERIES, change);
    }

    /**
     * Makes sure a timer wakes the watch at its next deadline. An earlier timer already set is
     * kept: when it fires and finds nothing due, it sets the next one (lazy, so points cost no
     * timer deletions).
     */
    private void schedule(
            AlertRule rule, RuleWatch watch, long now, boolean heldBack, TimerService timers) {
        long next = watch.lastArrivalMillis + rule.forgetMillis();
        if (rule.alertKind() == AlertKind.STALE && !watch.firing()) {
            next =
                    Math.min(
                            next,
                            heldBack
                                    ? now + timing.recheckEvery().toMillis()
                                    : watch.lastArrivalMillis
                                            + rule.staleMillis()
                                            + rule.pendingMillis());
        }
        if (watch.phase == RuleWatch.PENDING) {
            next = Math.min(next, watch.pendingSinceMillis + rule.pendingMillis());
        }
        if (watch.firing()) {
            next = Math.min(next, watch.lastSentMillis + timing.resendEvery().toMillis());
            if (watch.clearSinceMillis != RuleWatch.NONE) {
                next = Math.min(next, watch.clearSinceMillis + rule.keepFiringMillis());
            }
        }
        if (watch.wakeUpMillis == RuleWatch.NONE || next < watch.wakeUpMillis) {
            timers.registerProcessingTimeTimer(next);
            watch.wakeUpMillis = next;
        }
    }
}
