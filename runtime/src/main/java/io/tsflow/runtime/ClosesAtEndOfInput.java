package io.tsflow.runtime;

import io.tsflow.schema.Rejected;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * A keyed function whose keys each have something to finish when the input ends (a bounded input,
 * or a stop with drain), run by {@link EndOfInputOperator}. Finishing every key through the
 * operator replaces an event-time timer per key at the end of time, which every checkpoint would
 * write and every new or forgotten key would add or remove, for an instant that an unbounded input
 * never reaches.
 *
 * @param <K> the key
 * @param <OUT> what the function emits
 */
public interface ClosesAtEndOfInput<K, OUT> {

    /**
     * Finishes the current key, {@code key}, which holds a value in the operator's open-keys state:
     * emits what it holds as final, and clears its state and timers.
     */
    void endOfInput(K key, TimerService timers, Collector<OUT> out) throws Exception;

    /**
     * The current key failed to finish, or failed in a timer: there is no record to blame, so its
     * state is dropped (that it cannot fail every restore), and it is dead-lettered through {@code
     * refused} or counted.
     */
    void keyFailed(K key, TimerService timers, Consumer<Rejected> refused, RuntimeException failure)
            throws Exception;
}
