package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Aggregation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** The rollup operator under a test harness, on a chosen state backend. */
final class RollupHarness {

    private RollupHarness() {}

    /**
     * {@code rollup}'s operator, opened on {@code backend} ({@code hashmap} or {@code rocksdb}),
     * restored from {@code restoreFrom} unless it is null.
     */
    static KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> open(
            SeriesRollup rollup, String backend, OperatorSubtaskState restoreFrom)
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation>(
                        rollup.operator(), PointRun::seriesKey, Types.STRING);
        harness.setStateBackend(
                backend.equals("rocksdb")
                        ? new EmbeddedRocksDBStateBackend()
                        : new HashMapStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }
}
