package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.aggregate.CounterMode;
import io.tsflow.schema.Aggregation;
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

    @Override
    public void put(OpenBuckets open, long bucketStart, long slot, BucketAggregate lower)
            throws Exception {
        stored.put(open, bucketStart, slot, lower.toBytes());
    }

    @Override
    public TreeMap<Long, BucketAggregate> inputsIn(OpenBuckets open, long bucketStart)
            throws Exception {
        TreeMap<Long, BucketAggregate> inBucket = new TreeMap<>();
        for (Map.Entry<Long, Aggregation> record : records.inputsIn(open, bucketStart).entrySet()) {
            // The merge takes the counter mode of the bucket it folds into: this one is unused.
            inBucket.put(
                    record.getKey(),
                    AggregationRecords.fromRecord(record.getValue(), CounterMode.RESETS));
        }
        for (Map.Entry<Long, byte[]> lower : stored.inputsIn(open, bucketStart).entrySet()) {
            inBucket.put(lower.getKey(), BucketAggregate.fromBytes(lower.getValue()));
        }
        return inBucket;
    }

    @Override
    public void forget(OpenBuckets open, long bucketStart) throws Exception {
        records.forget(open, bucketStart);
        stored.forget(open, bucketStart);
    }
}
