package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Aggregation;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** What the rollup operator under test keeps in its keyed state, for assertions on clean-up. */
final class StateKeys {

    private StateKeys() {}

    /**
     * The keys of the keyed state named {@code state} as the backend lists them: once per entry, so
     * a map state on RocksDB lists a series once per map entry.
     */
    static List<String> keysIn(
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness,
            String state) {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    /** The series (keys) with at least one entry in the keyed state named {@code state}. */
    static List<String> seriesIn(
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness,
            String state) {
        return keysIn(harness, state).stream().distinct().toList();
    }
}
