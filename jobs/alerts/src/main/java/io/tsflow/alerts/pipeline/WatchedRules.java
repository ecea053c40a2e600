package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.RejectReason;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.runtime.DownstreamFailure;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.runtime.SubtaskCounter;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both engines' keyed functions hold: the rules with their selectors and one {@code
 * ValueState<RuleWatch>} each (named {@code <statePrefix><rule>}), the backlog gate, the alert
 * lifecycle and the metrics; and the lazy one-timer-per-watch scheduling.
 */
final class WatchedRules implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WatchedRules.class);

    /** Points that made a watching operator throw: dead letters. */
    static final OutputTag<Rejected> REFUSED = new OutputTag<>("refused-points") {};

    final List<AlertRule> rules;
    final WatchTiming timing;
    private final String statePrefix;

    private transient List<SeriesSelector> selectors;
    private transient List<ValueState<RuleWatch>> states;
    transient BacklogGate gate;
    transient AlertLifecycle lifecycle;
    transient WatchMetrics metrics;

    /** The most series one subtask watches for one rule; a new series beyond is refused. */
    private final long maxSeriesPerRule;

    private final List<SubtaskCounter> watchedSeries = new ArrayList<>();

    WatchedRules(
            List<AlertRule> rules, WatchTiming timing, String statePrefix, long maxSeriesPerRule) {
        this.rules = List.copyOf(rules);
        this.timing = timing;
        this.statePrefix = statePrefix;
        this.maxSeriesPerRule = maxSeriesPerRule;
        for (AlertRule rule : this.rules) {
            watchedSeries.add(new SubtaskCounter(statePrefix + rule.name() + "-series"));
        }
    }

    /** From the operator's {@code initializeState}: the watched-series counts come back. */
    void initializeCounts(FunctionInitializationContext context) throws Exception {
        for (SubtaskCounter count : watchedSeries) {
            count.initialize(context);
        }
    }

    /** From the operator's {@code snapshotState}. */
    void snapshotCounts() throws Exception {
        for (SubtaskCounter count : watchedSeries) {
            count.snapshot();
        }
    }

    long watchedSeries(int rule) {
        return watchedSeries.get(rule).get();
    }

    /** Stores the current key's watch for {@code rule}, counting a series watched anew. */
    void save(int rule, RuleWatch watch) throws Exception {
        if (!watch.counted) {
            watch.counted = true;
            watchedSeries.get(rule).increment();
        }
        states.get(rule).update(watch);
    }

    /** Drops the current key's watch for {@code rule}. */
    void drop(int rule) throws Exception {
        states.get(rule).clear();
        watchedSeries.get(rule).decrement();
    }

    /**
     * A point that rules would watch but whose limit of series is reached: dead-lettered once,
     * whatever the number of such rules.
     */
    void refuseByLimit(Observation point, Consumer<Rejected> refused) {
        metrics.refusedByLimit.inc();
        Rejected rejected =
                ObservationRejects.ofPoint(
                        point,
                        "alerts",
                        RejectReason.CARDINALITY_LIMIT,
                        "a rule selecting this series already watches "
                                + maxSeriesPerRule
                                + " series on this subtask (maxSeriesPerRule): it is watched once"
                                + " others are forgotten",
                        null);
        DownstreamFailure.marking(() -> refused.accept(rejected));
    }

    void open(RuntimeContext runtime) {
        selectors = new ArrayList<>();
        states = new ArrayList<>();
        for (AlertRule rule : rules) {
            selectors.add(rule.selector());
            states.add(
                    runtime.getState(
                            new ValueStateDescriptor<>(
                                    statePrefix + rule.name(), RuleWatch.class)));
        }
        // The operator's clock (not System.currentTimeMillis) so that tests can drive it.
        long now =
                ((StreamingRuntimeContext) runtime)
                        .getProcessingTimeService()
                        .getCurrentProcessingTime();
        gate = new BacklogGate(timing.maxLag(), timing.startupGrace(), timing.activeWithin(), now);
        lifecycle = new AlertLifecycle(timing.resendEvery().toMillis());
        metrics = new WatchMetrics(runtime.getMetricGroup());
    }

    int size() {
        return rules.size();
    }

    /**
     * Runs {@code work} for {@code point}: what it throws goes to {@link #pointFailed}, except a
     * failure downstream, which fails the task.
     */
    void onPoint(Observation point, Consumer<Rejected> refused, DownstreamFailure.Work work)
            throws Exception {
        DownstreamFailure.isolate(work, failure -> pointFailed(point, failure, refused));
    }

    /** Runs a timer's {@code work}: what it throws goes to {@link #timerFailed}. */
    void onTimer(String seriesKey, DownstreamFailure.Work work) throws Exception {
        DownstreamFailure.isolate(work, failure -> timerFailed(seriesKey, failure));
    }

    /**
     * A point of the current key made the watching code throw: it goes to {@code refused} as a dead
     * letter ({@code PROCESSING_FAILED}), counted, and the job goes on.
     */
    private void pointFailed(
            Observation point, RuntimeException failure, Consumer<Rejected> refused) {
        LOG.warn(
                "Watching series {} failed on a point; it goes to the dead-letter topic",
                point.getSeriesKey(),
                failure);
        metrics.processingFailures.inc();
        Rejected rejected =
                ObservationRejects.ofPoint(
                        point,
                        "alerts",
                        RejectReason.PROCESSING_FAILED,
                        ObservationRejects.describe(failure),
                        failure);
        DownstreamFailure.marking(() -> refused.accept(rejected));
    }

    /**
     * A timer of the current key made the watching code throw: its watches are dropped, so that
     * they cannot fail every restore; the series is watched afresh from its next point.
     */
    private void timerFailed(String seriesKey, RuntimeException failure) {
        LOG.warn(
                "Watching series {} failed in a timer; its watches are dropped",
                seriesKey,
                failure);
        metrics.processingFailures.inc();
        for (int i = 0; i < states.size(); i++) {
            try {
                drop(i);
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    boolean selects(int rule, Observation point) {
        return selectors.get(rule).matches(point.getMetric(), point.getTagset());
    }

    /**
     * The current key's watch for {@code rule}, new if it has none; null if it has none and the
     * rule already watches its limit of series on this subtask.
     */
    RuleWatch watchOrNew(int rule) throws Exception {
        RuleWatch watch = states.get(rule).value();
        if (watch != null) {
            return watch;
        }
        return watchedSeries.get(rule).get() >= maxSeriesPerRule ? null : new RuleWatch();
    }

    /** What an engine does to one woken watch that is not forgotten, before it is saved. */
    @FunctionalInterface
    interface WokenWatch {
        void handle(AlertRule rule, RuleWatch watch, long now) throws Exception;
    }

    /**
     * Wakes the series' watches whose timer is due now: a watch silent for its rule's {@code
     * forgetAfter} is forgotten (its alert, if firing, resolved into {@code changes}); each other
     * goes to {@code engine} and is saved.
     */
    void wakeAll(
            String seriesKey,
            TimerService timers,
            AlertLifecycle.Changes changes,
            WokenWatch engine)
            throws Exception {
        long now = timers.currentProcessingTime();
        for (int i = 0; i < size(); i++) {
            RuleWatch watch = wokenAt(i, now);
            if (watch == null) {
                continue;
            }
            AlertRule rule = rules.get(i);
            if (lifecycle.forgotten(rule, watch, now, seriesKey, changes)) {
                drop(i);
                metrics.forgotten.inc();
                continue;
            }
            engine.handle(rule, watch, now);
            save(i, watch);
        }
    }

    /**
     * The current key's watch for {@code rule} if the timer firing at {@code now} is its own (its
     * wake-up is then cleared), else null: another rule's timer, or one it no longer needs.
     */
    private RuleWatch wokenAt(int rule, long now) throws Exception {
        RuleWatch watch = states.get(rule).value();
        if (watch == null || watch.wakeUpMillis == RuleWatch.NONE || watch.wakeUpMillis > now) {
            return null;
        }
        watch.wakeUpMillis = RuleWatch.NONE;
        return watch;
    }

    /**
     * Makes sure a timer wakes the watch by {@code next}. An earlier timer already set is kept:
     * when it fires and finds nothing due, it sets the next one (lazy, so points cost no timer
     * deletions).
     */
    static void wakeBy(RuleWatch watch, long next, TimerService timers) {
        if (watch.wakeUpMillis == RuleWatch.NONE || next < watch.wakeUpMillis) {
            timers.registerProcessingTimeTimer(next);
            watch.wakeUpMillis = next;
        }
    }
}
