package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.aggregate.CounterMode;
import io.tsflow.schema.Aggregation;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Where a level above the finest keeps the buckets of the level below until its own bucket closes:
 * each as its aggregate's bytes ({@link BucketAggregate#toBytes}), one entry per bucket with an
 * index per upper bucket ({@link IndexedBucketInputs}). Bytes, not the published record: a record
 * carries the series' identity and its quantiles, costs an Avro write and read on RocksDB, and a
 * deep copy on the heap each time a checkpoint has shared it.
 *
 * <p>State written before the bytes were kept holds published records (state {@code
 * slot-inputs-<interval>}); they are read from there until their bucket closes, and a bucket stored
 * again replaces its record.
 */
final class LowerBucketInputs implements BucketInputs<BucketAggregate> {

    private final IndexedBucketInputs<byte[]> stored;
    private final IndexedBucketInputs<Aggregation> records;

    /** Lower buckets stored since the last {@link #flush}, by slot; see {@link #put}. */
    private final Map<Long, Unsaved> unsaved = new HashMap<>();

    LowerBucketInputs(String interval, RuntimeContext context) {
        this.stored =
                new IndexedBucketInputs<>(
                        "lower-buckets-" + interval,
                        context,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
                        true);
        this.records =
                new IndexedBucketInputs<>(
                        "slot-inputs-" + interval,
                        context,
                        TypeInformation.of(Aggregation.class),
                        false);
    }

    /**
     * Stores {@code lower} for the bucket starting at {@code bucketStart}. In a bucket this layout
     * opened, the bucket waits in memory until {@link #flush}: one whose upper bucket closes before
     * then (at the end of the input, or in a backlog that passes an upper bucket's end) is merged
     * and forgotten without a state write, read and delete.
     */
    @Override
    public void put(OpenBuckets open, long bucketStart, long slot, BucketAggregate lower)
            throws Exception {
        if (!open.keepsSlotsOf(bucketStart)) {
            stored.put(open, bucketStart, slot, lower.toBytes());
            return;
        }
        Unsaved earlier = unsaved.get(slot);
        boolean added = stored.index(open, bucketStart, slot);
        boolean inState = earlier != null ? earlier.inState() : !added;
        unsaved.put(slot, new Unsaved(lower, inState));
    }

    @Override
    public TreeMap<Long, BucketAggregate> inputsIn(OpenBuckets open, long bucketStart)
            throws Exception {
        TreeMap<Long, BucketAggregate> inBucket = new TreeMap<>();
        boolean current = open.keepsSlotsOf(bucketStart);
        if (!current) {
            for (Map.Entry<Long, Aggregation> record :
                    records.inputsIn(open, bucketStart).entrySet()) {
                // The merge takes the counter mode of the bucket it folds into: this one is unused.
                inBucket.put(
                        record.getKey(),
                        AggregationRecords.fromRecord(record.getValue(), CounterMode.RESETS));
            }
        }
        for (Map.Entry<Long, byte[]> lower :
                stored.inputsIn(open, bucketStart, unsaved::containsKey).entrySet()) {
            inBucket.put(lower.getKey(), BucketAggregate.fromBytes(lower.getValue()));
        }
        if (current) {
            for (long slot : open.slotsOf(open.indexOf(bucketStart))) {
                Unsaved waiting = unsaved.get(slot);
                if (waiting != null) {
                    inBucket.put(slot, waiting.lower());
                }
            }
        }
        return inBucket;
    }

    @Override
    public void forget(OpenBuckets open, long bucketStart) throws Exception {
        if (!open.keepsSlotsOf(bucketStart)) {
            records.forget(open, bucketStart);
            stored.forget(open, bucketStart);
            return;
        }
        stored.forget(
                open,
                bucketStart,
                slot -> {
                    Unsaved waiting = unsaved.remove(slot);
                    return waiting != null && !waiting.inState();
                });
    }

    @Override
    public void flush() throws Exception {
        if (unsaved.isEmpty()) {
            return;
        }
        try {
            for (Map.Entry<Long, Unsaved> waiting : unsaved.entrySet()) {
                stored.write(waiting.getKey(), waiting.getValue().lower().toBytes());
            }
        } finally {
            unsaved.clear();
        }
    }

    /** A lower bucket not yet written; {@code inState}: state may hold an earlier revision. */
    private record Unsaved(BucketAggregate lower, boolean inState) {}
}
