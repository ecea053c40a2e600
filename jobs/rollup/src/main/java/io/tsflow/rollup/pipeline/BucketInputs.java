package io.tsflow.rollup.pipeline;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where one level keeps the inputs of its open buckets, each in a slot (a point's timestamp, or a
 * lower bucket's start) where a later input replaces the earlier one. Every access is a lookup by
 * the bucket's start, never an iteration over a series' entries: on RocksDB an iteration is a
 * prefix seek that also walks the tombstones of every input already forgotten, which made firing
 * and forgetting a bucket cost milliseconds.
 */
interface BucketInputs<S> {

    /**
     * Stores {@code input} in {@code slot} of the bucket starting at {@code bucketStart}, which is
     * among the series' {@code open} buckets of this level.
     */
    void put(OpenBuckets open, long bucketStart, long slot, S input) throws Exception;

    /** Stores every input of {@code inputs}, by slot. */
    default void putAll(OpenBuckets open, long bucketStart, Map<Long, S> inputs) throws Exception {
        for (Map.Entry<Long, S> input : inputs.entrySet()) {
            put(open, bucketStart, input.getKey(), input.getValue());
        }
    }

    /** The bucket's inputs in slot order (empty if it has none). */
    TreeMap<Long, S> inputsIn(OpenBuckets open, long bucketStart) throws Exception;

    /** Drops the bucket's inputs, before it leaves the {@code open} buckets. */
    void forget(OpenBuckets open, long bucketStart) throws Exception;

    /**
     * Writes to state the inputs kept in memory since the last flush (none by default): before the
     * series' progress is written, while its key is the current one.
     */
    default void flush() throws Exception {}
}
