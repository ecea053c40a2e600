package io.tsflow.rollup.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.MapTypeInfo;

/**
 * One state entry per bucket holding all its inputs: one read and one write per input. Made for
 * small inputs (points), where rewriting the bucket's few inputs costs less than a second lookup.
 */
final class GroupedBucketInputs<S> implements BucketInputs<S> {

    private final MapState<Long, Map<Long, S>> buckets;

    GroupedBucketInputs(String name, RuntimeContext context, TypeInformation<S> inputType) {
        TypeInformation<Map<Long, S>> bucketType = new MapTypeInfo<>(Types.LONG, inputType);
        this.buckets = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, bucketType));
    }

    @Override
    public void put(OpenBuckets open, long bucketStart, long slot, S input) throws Exception {
        Map<Long, S> known = buckets.get(bucketStart);
        if (known == null) {
            known = new HashMap<>();
        }
        known.put(slot, input);
        buckets.put(bucketStart, known);
    }

    /** One read and one write for all of them. */
    @Override
    public void putAll(OpenBuckets open, long bucketStart, Map<Long, S> inputs) throws Exception {
        Map<Long, S> known = buckets.get(bucketStart);
        Map<Long, S> merged = known == null ? new HashMap<>() : known;
        merged.putAll(inputs);
        buckets.put(bucketStart, merged);
    }

    @Override
    public TreeMap<Long, S> inputsIn(OpenBuckets open, long bucketStart) throws Exception {
        Map<Long, S> known = buckets.get(bucketStart);
        return known == null ? new TreeMap<>() : new TreeMap<>(known);
    }

    @Override
    public void forget(OpenBuckets open, long bucketStart) throws Exception {
        buckets.remove(bucketStart);
    }
}
