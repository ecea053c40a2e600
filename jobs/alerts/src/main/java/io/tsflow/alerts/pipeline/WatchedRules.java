package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.RejectReason;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.connectors.job.DownstreamFailure;
import io.tsflow.connectors.job.ObservationRejects;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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

    WatchedRules(List<AlertRule> rules, WatchTiming timing, String statePrefix) {
        this.rules = List.copyOf(rules);
        this.timing = timing;
        this.statePrefix = statePrefix;
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

    /** A piece of watching work on the current key. */
    interface Work {
        void run() throws Exception;
    }

    /**
     * Runs {@code work} for {@code point}: what it throws goes to {@link #pointFailed}, except a
     * failure downstream, which fails the task.
     */
    void onPoint(Observation point, Consumer<Rejected> refused, Work work) throws Exception {
        try {
            work.run();
        } catch (DownstreamFailure e) {
            throw e.original();
        } catch (RuntimeException e) {
            pointFailed(point, e, refused);
        }
    }

    /** Runs a timer's {@code work}: what it throws goes to {@link #timerFailed}. */
    void onTimer(String seriesKey, Work work) throws Exception {
        try {
            work.run();
        } catch (DownstreamFailure e) {
            throw e.original();
        } catch (RuntimeException e) {
            timerFailed(seriesKey, e);
        }
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
        for (ValueState<RuleWatch> state : states) {
            state.clear();
        }
    }

    boolean selects(int rule, Observation point) {
        return selectors.get(rule).matches(point.getMetric(), point.getTagset());
    }

    ValueState<RuleWatch> state(int rule) {
        return states.get(rule);
    }

    /** The current key's watch for {@code rule}, new if it has none. */
    RuleWatch watchOrNew(int rule) throws Exception {
        RuleWatch watch = states.get(rule).value();
        return watch == null ? new RuleWatch() : watch;
    }

    /**
     * The current key's watch for {@code rule} if the timer firing at {@code now} is its own (its
     * wake-up is then cleared), else null: another rule's timer, or one it no longer needs.
     */
    RuleWatch wokenAt(int rule, long now) throws Exception {
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
