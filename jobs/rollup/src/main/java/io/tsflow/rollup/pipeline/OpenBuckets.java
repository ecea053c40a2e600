package io.tsflow.rollup.pipeline;

import java.util.Arrays;

/**
 * The open buckets of one level of one series, by start in ascending order: for each, the last
 * revision emitted ({@code -1} before the first), whether inputs arrived since then and, on a level
 * above the finest, the slots of the lower buckets stored for it. A bucket is open from its first
 * input until its lateness has passed on the series' clock. A Flink POJO, kept inside {@link
 * SeriesProgress}: a handful of entries per level, so plain arrays.
 */
public class OpenBuckets {

    private static final long[] NO_SLOTS = new long[0];

    public long[] starts = new long[0];
    public int[] revisions = new int[0];
    public boolean[] changed = new boolean[0];

    /**
     * Per bucket, the slots (starts) of the lower buckets a level above the finest stores for it,
     * ascending, so that storing one more costs no read and write of an index in state ({@link
     * IndexedBucketInputs}); empty on the finest level. A null entry, or a null array (state
     * written before it existed), means the bucket's index is in the level's state. Entries are
     * replaced, never changed in place.
     */
    public long[][] slots = new long[0][];

    public OpenBuckets() {}

    public int size() {
        return starts.length;
    }

    /**
     * The index of the bucket starting at {@code start}, or a negative number if it is not open.
     */
    public int indexOf(long start) {
        return Arrays.binarySearch(starts, start);
    }

    /** Marks the bucket changed, opening it first if needed; true if it was not open. */
    public boolean markChanged(long start) {
        int at = indexOf(start);
        if (at >= 0) {
            changed[at] = true;
            return false;
        }
        int insertion = -at - 1;
        if (!slotsKept()) {
            slots = new long[starts.length][]; // every bucket open so far keeps its index in state
        }
        starts = SortedArrays.insert(starts, insertion, start);
        revisions = SortedArrays.insert(revisions, insertion, -1);
        changed = SortedArrays.insert(changed, insertion, true);
        slots = SortedArrays.insert(slots, insertion, NO_SLOTS);
        return true;
    }

    /**
     * The slots stored for open bucket {@code index}, or null if its index is in the level's state.
     */
    long[] slotsOf(int index) {
        return slotsKept() ? slots[index] : null;
    }

    /**
     * Whether {@link #slots} has an entry per bucket: not in state written before it existed (null
     * from earlier layouts, empty from the POJO serializer, which leaves a new field as the
     * constructor set it).
     */
    private boolean slotsKept() {
        return slots != null && slots.length == starts.length;
    }

    /**
     * Whether the open bucket starting at {@code start} keeps its slots here: a bucket this layout
     * opened, so no earlier build stored anything for it.
     */
    boolean keepsSlotsOf(long start) {
        int at = indexOf(start);
        return at >= 0 && slotsOf(at) != null;
    }

    /** Replaces the slots stored for open bucket {@code index}, which keeps them here. */
    void setSlots(int index, long[] bucketSlots) {
        slots[index] = bucketSlots;
    }

    /** Records that bucket {@code index} is emitted once more; returns the revision emitted. */
    public int nextRevision(int index) {
        changed[index] = false;
        return ++revisions[index];
    }

    public boolean anyChanged() {
        for (boolean c : changed) {
            if (c) {
                return true;
            }
        }
        return false;
    }

    /** Closes the first {@code count} buckets. */
    public void removeFirst(int count) {
        if (count == 0) {
            return;
        }
        slots = slotsKept() ? Arrays.copyOfRange(slots, count, slots.length) : null;
        starts = Arrays.copyOfRange(starts, count, starts.length);
        revisions = Arrays.copyOfRange(revisions, count, revisions.length);
        changed = Arrays.copyOfRange(changed, count, changed.length);
    }
}
