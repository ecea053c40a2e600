package io.tsflow.runtime;

import io.tsflow.schema.Rejected;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs a keyed process function as Flink runs any, and when the input ends tells it each key that
 * holds a value in its state {@code openKeysState}; what a key fails to finish goes to {@code
 * refused}. Flink ends the input after the final watermark, so event-time timers have fired by
 * then.
 *
 * @param <K> the key
 * @param <IN> the input
 * @param <OUT> the output
 */
public final class EndOfInputOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT>
        implements BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** The name {@link KeyedProcessOperator} gives its timer service: the function's timers. */
    private static final String TIMERS = "user-timers";

    private final String openKeysState;
    private final OutputTag<Rejected> refused;

    private transient TimestampedCollector<OUT> endOutput;
    private transient TimerService timers;
    private transient Consumer<Rejected> deadLetters;

    public <F extends KeyedProcessFunction<K, IN, OUT> & ClosesAtEndOfInput<K, OUT>>
            EndOfInputOperator(F function, String openKeysState, OutputTag<Rejected> refused) {
        super(function);
        this.openKeysState = openKeysState;
        this.refused = refused;
    }

    @Override
    public void open() throws Exception {
        super.open();
        endOutput = new TimestampedCollector<>(output);
        endOutput.eraseTimestamp();
        timers =
                new SimpleTimerService(
                        getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this));
        deadLetters = rejected -> output.collect(refused, new StreamRecord<>(rejected));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void endInput() throws Exception {
        ClosesAtEndOfInput<K, OUT> function = (ClosesAtEndOfInput<K, OUT>) userFunction;
        List<K> open;
        // Collected first: finishing a key clears its state, which the key stream walks.
        try (Stream<K> keys =
                this.<K>getKeyedStateBackend().getKeys(openKeysState, VoidNamespace.INSTANCE)) {
            open = keys.toList();
        }
        for (K key : open) {
            setCurrentKey(key);
            DownstreamFailure.isolate(
                    () -> function.endOfInput(key, timers, DownstreamFailure.marking(endOutput)),
                    failure -> function.keyFailed(key, timers, deadLetters, failure));
        }
    }
}
