package io.tsflow.rollup.pipeline;

import java.util.Arrays;

/**
 * The open buckets of one level of one series, by start in ascending order: for each, the last
 * revision emitted ({@code -1} before the first) and whether inputs arrived since then. A bucket is
 * open from its first input until its lateness has passed on the series' clock. A Flink POJO, kept
 * inside {@link SeriesProgress}: a handful of entries per level, so plain arrays.
 */
public class OpenBuckets {

    public long[] starts = new long[0];
    public int[] revisions = new int[0];
    public boolean[] changed = new boolean[0];

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
        starts = SortedArrays.insert(starts, insertion, start);
        revisions = SortedArrays.insert(revisions, insertion, -1);
        changed = SortedArrays.insert(changed, insertion, true);
        return true;
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
        starts = Arrays.copyOfRange(starts, count, starts.length);
        revisions = Arrays.copyOfRange(revisions, count, revisions.length);
        changed = Arrays.copyOfRange(changed, count, changed.length);
    }
}
