package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Rejected;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs {@link SeriesRollup} as Flink runs any keyed process function, and tells every series it
 * holds when the input ends (a bounded input, or a stop with drain), so that their open buckets are
 * emitted as final. This replaces an event-time timer per series at the end of time: with a million
 * series, a million timers were written with every checkpoint and added and removed with every
 * series, for an instant that an unbounded input never reaches.
 */
public final class SeriesRollupOperator extends KeyedProcessOperator<String, PointRun, Aggregation>
        implements BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** The name {@link KeyedProcessOperator} gives its timer service; the same service. */
    private static final String TIMERS = "user-timers";

    private transient TimestampedCollector<Aggregation> endOutput;
    private transient TimerService timers;

    public SeriesRollupOperator(SeriesRollup rollup) {
        super(rollup);
    }

    @Override
    public void open() throws Exception {
        super.open();
        endOutput = new TimestampedCollector<>(output);
        endOutput.eraseTimestamp();
        timers =
                new SimpleTimerService(
                        getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this));
    }

    @Override
    public void endInput() throws Exception {
        SeriesRollup rollup = (SeriesRollup) userFunction;
        List<String> series;
        // Collected first: closing a series clears its state, which the key stream walks.
        try (Stream<String> keys =
                this.<String>getKeyedStateBackend()
                        .getKeys(SeriesRollup.PROGRESS_STATE, VoidNamespace.INSTANCE)) {
            series = keys.toList();
        }
        for (String seriesKey : series) {
            setCurrentKey(seriesKey);
            rollup.endOfInput(seriesKey, timers, endOutput, this::refused);
        }
    }

    private void refused(Rejected rejected) {
        output.collect(SeriesRollup.REFUSED, new StreamRecord<>(rejected));
    }
}
