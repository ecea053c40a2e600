package io.tsflow.rollup.pipeline;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One state entry per input, and per bucket an index of its slots: each input is written once and
 * read once. Made for large inputs (lower buckets with their sketches), which a grouped bucket
 * would rewrite each time one more arrives. The index lives in the series' {@link OpenBuckets}
 * (read and written with every run of points anyway), so storing an input costs one state write;
 * buckets opened by builds that kept the index in state of its own ({@code <name>-slots}) keep it
 * there until they close.
 */
final class IndexedBucketInputs<S> implements BucketInputs<S> {

    private final MapState<Long, S> inputs;

    /** Per bucket (by start), the slots of its inputs in ascending order: earlier builds' index. */
    private final MapState<Long, long[]> storedSlots;

    /** Whether buckets opened now keep their index in the open buckets; else always in state. */
    private final boolean indexInOpenBuckets;

    /**
     * Inputs in state {@code name}; the index of a bucket opened now in the series' open buckets if
     * {@code indexInOpenBuckets}, else in state {@code <name>-slots} (for state that only earlier
     * builds wrote, which never opens a bucket).
     */
    IndexedBucketInputs(
            String name,
            RuntimeContext context,
            TypeInformation<S> inputType,
            boolean indexInOpenBuckets) {
        this.indexInOpenBuckets = indexInOpenBuckets;
        this.inputs = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, inputType));
        this.storedSlots =
                context.getMapState(
                        new MapStateDescriptor<>(
                                name + "-slots",
                                Types.LONG,
                                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void put(OpenBuckets open, long bucketStart, long slot, S input) throws Exception {
        inputs.put(slot, input);
        int at = indexOf(open, bucketStart);
        long[] known = at < 0 ? null : open.slotsOf(at);
        if (known != null) {
            long[] grown = withSlot(known, slot);
            if (grown != known) {
                open.setSlots(at, grown);
            }
            return;
        }
        long[] stored = storedSlots.get(bucketStart);
        long[] grown = withSlot(stored == null ? new long[0] : stored, slot);
        if (grown != stored) {
            storedSlots.put(bucketStart, grown);
        }
    }

    /**
     * Adds {@code slot} to the index of the bucket starting at {@code bucketStart}, which keeps its
     * index in the {@code open} buckets, without storing its input (see {@link #write}); false if
     * the slot was there already, so state may hold an earlier input in it.
     */
    boolean index(OpenBuckets open, long bucketStart, long slot) {
        int at = open.indexOf(bucketStart);
        long[] known = open.slotsOf(at);
        long[] grown = withSlot(known, slot);
        if (grown == known) {
            return false;
        }
        open.setSlots(at, grown);
        return true;
    }

    /** Stores the input of a slot already in its bucket's index. */
    void write(long slot, S input) throws Exception {
        inputs.put(slot, input);
    }

    /** {@code slots} with {@code slot} in its place: the same array if it was there already. */
    private static long[] withSlot(long[] slots, long slot) {
        int last = slots.length - 1;
        if (last >= 0 && slots[last] < slot) {
            return SortedArrays.insert(slots, slots.length, slot); // in order, the usual case
        }
        int at = Arrays.binarySearch(slots, slot);
        return at >= 0 ? slots : SortedArrays.insert(slots, -at - 1, slot);
    }

    @Override
    public TreeMap<Long, S> inputsIn(OpenBuckets open, long bucketStart) throws Exception {
        return inputsIn(open, bucketStart, slot -> false);
    }

    /** The bucket's inputs in slot order, without reading those of the slots {@code elsewhere}. */
    TreeMap<Long, S> inputsIn(OpenBuckets open, long bucketStart, LongPredicate elsewhere)
            throws Exception {
        TreeMap<Long, S> inBucket = new TreeMap<>();
        long[] known = slotsOf(open, bucketStart);
        if (known != null) {
            for (long slot : known) {
                if (!elsewhere.test(slot)) {
                    inBucket.put(slot, inputs.get(slot));
                }
            }
        }
        return inBucket;
    }

    @Override
    public void forget(OpenBuckets open, long bucketStart) throws Exception {
        forget(open, bucketStart, slot -> false);
    }

    /** Drops the bucket's inputs, without deleting those of the slots {@code neverStored}. */
    void forget(OpenBuckets open, long bucketStart, LongPredicate neverStored) throws Exception {
        int at = indexOf(open, bucketStart);
        boolean inState = at < 0 || open.slotsOf(at) == null;
        long[] known = inState ? storedSlots.get(bucketStart) : open.slotsOf(at);
        if (known == null) {
            return;
        }
        for (long slot : known) {
            if (!neverStored.test(slot)) {
                inputs.remove(slot);
            }
        }
        if (inState) {
            storedSlots.remove(bucketStart);
        }
    }

    /**
     * The bucket's slots: from the open buckets, or from state where an earlier build kept them.
     */
    private long[] slotsOf(OpenBuckets open, long bucketStart) throws Exception {
        int at = indexOf(open, bucketStart);
        long[] known = at < 0 ? null : open.slotsOf(at);
        return known != null ? known : storedSlots.get(bucketStart);
    }

    /** The bucket's place among the open buckets, negative if its index is in state. */
    private int indexOf(OpenBuckets open, long bucketStart) {
        return indexInOpenBuckets ? open.indexOf(bucketStart) : -1;
    }
}
