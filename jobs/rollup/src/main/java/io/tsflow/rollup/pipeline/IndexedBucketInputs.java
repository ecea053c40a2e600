package io.tsflow.rollup.pipeline;

import java.util.Arrays;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One state entry per input, plus a per-bucket index of its slots: each input is written once and
 * read once. Made for large inputs (lower buckets with their sketches), which a grouped bucket
 * would rewrite each time one more arrives.
 */
final class IndexedBucketInputs<S> implements BucketInputs<S> {

    private final MapState<Long, S> inputs;

    /** Per bucket (by start), the slots of its inputs in ascending order. */
    private final MapState<Long, long[]> slots;

    IndexedBucketInputs(String name, RuntimeContext context, TypeInformation<S> inputType) {
        this.inputs = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, inputType));
        this.slots =
                context.getMapState(
                        new MapStateDescriptor<>(
                                name + "-slots",
                                Types.LONG,
                                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void put(long bucketStart, long slot, S input) throws Exception {
        inputs.put(slot, input);
        long[] known = slots.get(bucketStart);
        if (known == null) {
            slots.put(bucketStart, new long[] {slot});
            return;
        }
        int at = Arrays.binarySearch(known, slot);
        if (at < 0) {
            slots.put(bucketStart, SortedArrays.insert(known, -at - 1, slot));
        }
    }

    @Override
    public TreeMap<Long, S> inputsIn(long bucketStart) throws Exception {
        TreeMap<Long, S> inBucket = new TreeMap<>();
        long[] known = slots.get(bucketStart);
        if (known != null) {
            for (long slot : known) {
                inBucket.put(slot, inputs.get(slot));
            }
        }
        return inBucket;
    }

    @Override
    public void forget(long bucketStart) throws Exception {
        long[] known = slots.get(bucketStart);
        if (known == null) {
            return;
        }
        for (long slot : known) {
            inputs.remove(slot);
        }
        slots.remove(bucketStart);
    }
}
