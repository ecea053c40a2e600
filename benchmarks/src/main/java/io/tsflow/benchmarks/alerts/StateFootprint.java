package io.tsflow.benchmarks.alerts;

import io.tsflow.alerts.pipeline.CepAlertTracker;
import io.tsflow.alerts.pipeline.CepPatterns;
import io.tsflow.alerts.pipeline.RuleMatch;
import io.tsflow.alerts.pipeline.SeriesWatcher;
import io.tsflow.alerts.pipeline.WatchTiming;
import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * State per watched series, measured exactly rather than from a running job's noisy heap: each
 * engine's operators in Flink's test harnesses with the heap state backend (the production state
 * tables, timer queues and serializers), fed one point for each of {@code series} series. Reported
 * at three moments: while the series are watched, after every one of them fired stale, and after
 * {@code forgetAfter} of silence. Heap is the growth of the live heap after full collections;
 * snapshot is the keyed state of a checkpoint.
 */
final class StateFootprint {

    private static final long T0 = 1_763_805_600_000L;
    private static final long STALE_MILLIS = 5 * 60_000;
    private static final long FORGET_MILLIS = 24 * 3_600_000L;

    private StateFootprint() {}

    /** Rows of a Markdown table: engine, moment, heap B/series, snapshot B/series, timers. */
    static List<String> measure(String engine, int series, AlertRule rule, WatchTiming timing)
            throws Exception {
        return engine.equals("cep") ? cep(series, rule, timing) : timer(series, rule, timing);
    }

    private static List<String> timer(int series, AlertRule rule, WatchTiming timing)
            throws Exception {
        try (var watcher =
                new KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert>(
                        new KeyedProcessOperator<>(new SeriesWatcher(List.of(rule), timing)),
                        Observation::getSeriesKey,
                        Types.STRING)) {
            roomy(watcher);
            watcher.setProcessingTime(T0);
            watcher.open();
            long before = liveHeap();
            for (int s = 0; s < series; s++) {
                watcher.processElement(new StreamRecord<>(point(s), T0));
            }
            String watching = row("timer", "watching", series, before, watcher);
            watcher.setProcessingTime(T0 + STALE_MILLIS);
            discardOutputs(watcher);
            String firing = row("timer", "all fired stale", series, before, watcher);
            watcher.setProcessingTime(T0 + FORGET_MILLIS);
            discardOutputs(watcher);
            String forgotten = row("timer", "after forgetAfter", series, before, watcher);
            return List.of(watching, firing, forgotten);
        }
    }

    private static List<String> cep(int series, AlertRule rule, WatchTiming timing)
            throws Exception {
        Pattern<Observation, ?> pattern = CepPatterns.of(rule);
        try (var matcher =
                        new KeyedOneInputStreamOperatorTestHarness<String, Observation, RuleMatch>(
                                new CepOperator<>(
                                        new AvroSerializer<>(Observation.class),
                                        true,
                                        NFACompiler.compileFactory(pattern, false),
                                        null,
                                        pattern.getAfterMatchSkipStrategy(),
                                        new CepPatterns.Matches(0),
                                        null),
                                Observation::getSeriesKey,
                                Types.STRING);
                var tracker =
                        new KeyedTwoInputStreamOperatorTestHarness<
                                String, Observation, RuleMatch, Alert>(
                                new KeyedCoProcessOperator<>(
                                        new CepAlertTracker(List.of(rule), timing)),
                                Observation::getSeriesKey,
                                RuleMatch::getSeriesKey,
                                Types.STRING)) {
            roomy(matcher);
            roomy(tracker);
            matcher.setProcessingTime(T0);
            tracker.setProcessingTime(T0);
            matcher.open();
            tracker.open();
            long before = liveHeap();
            for (int s = 0; s < series; s++) {
                Observation point = point(s);
                matcher.processElement(new StreamRecord<>(point, T0));
                tracker.processElement1(new StreamRecord<>(point, T0));
            }
            String watching = row("cep", "watching", series, before, matcher, tracker);
            matcher.setProcessingTime(T0 + STALE_MILLIS);
            tracker.setProcessingTime(T0 + STALE_MILLIS);
            for (RuleMatch match : matcher.extractOutputValues()) {
                tracker.processElement2(new StreamRecord<>(match, T0 + STALE_MILLIS));
            }
            discardOutputs(matcher);
            discardOutputs(tracker);
            String firing = row("cep", "all fired stale", series, before, matcher, tracker);
            matcher.setProcessingTime(T0 + FORGET_MILLIS);
            tracker.setProcessingTime(T0 + FORGET_MILLIS);
            discardOutputs(matcher);
            discardOutputs(tracker);
            String forgotten = row("cep", "after forgetAfter", series, before, matcher, tracker);
            return List.of(watching, firing, forgotten);
        }
    }

    /** The production heap backend, with snapshots of any size in memory (default: 5 MB). */
    private static void roomy(AbstractStreamOperatorTestHarness<?> harness) {
        harness.setStateBackend(new HashMapStateBackend());
        harness.setCheckpointStorage(new JobManagerCheckpointStorage(Integer.MAX_VALUE));
    }

    /** Drops what the operators emitted, so that only their state stays on the heap. */
    private static void discardOutputs(AbstractStreamOperatorTestHarness<?> harness) {
        harness.getOutput().clear();
        var deliveries = harness.getSideOutput(SeriesWatcher.DELIVERIES);
        if (deliveries != null) {
            deliveries.clear();
        }
    }

    private static Observation point(int sensor) {
        return new Observation(
                LiveSensors.key(sensor),
                "bench.temperature",
                Map.of("sensor", "s" + sensor),
                "tdouble",
                T0 * 1000,
                21.0,
                Origin.MEASURED,
                null);
    }

    private static String row(
            String engine,
            String moment,
            int series,
            long heapBefore,
            AbstractStreamOperatorTestHarness<?>... operators)
            throws Exception {
        long heap = liveHeap() - heapBefore;
        long snapshot = 0;
        int timers = 0;
        for (AbstractStreamOperatorTestHarness<?> operator : operators) {
            OperatorSubtaskState state = operator.snapshot(1, 1);
            for (KeyedStateHandle handle : state.getManagedKeyedState()) {
                snapshot += handle.getStateSize();
            }
            if (operator instanceof KeyedOneInputStreamOperatorTestHarness<?, ?, ?> one) {
                timers += one.numProcessingTimeTimers();
            } else if (operator instanceof KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> two) {
                timers += two.numProcessingTimeTimers();
            }
        }
        return String.format(
                Locale.ROOT,
                "| %s | %s | %,.0f B | %,.0f B | %,d |",
                engine,
                moment,
                (double) heap / series,
                (double) snapshot / series,
                timers);
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
