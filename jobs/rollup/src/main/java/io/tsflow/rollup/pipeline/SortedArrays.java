package io.tsflow.rollup.pipeline;

import java.util.Arrays;

/**
 * Copies of small arrays with one element inserted, for the per-bucket indexes kept in state
 * (sorted slot and bucket-start arrays, and the arrays parallel to them).
 */
final class SortedArrays {

    private SortedArrays() {}

    static long[] insert(long[] values, int at, long value) {
        long[] grown = new long[values.length + 1];
        System.arraycopy(values, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }

    static int[] insert(int[] values, int at, int value) {
        int[] grown = new int[values.length + 1];
        System.arraycopy(values, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }

    static <T> T[] insert(T[] values, int at, T value) {
        T[] grown = Arrays.copyOf(values, values.length + 1);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }

    static boolean[] insert(boolean[] values, int at, boolean value) {
        boolean[] grown = new boolean[values.length + 1];
        System.arraycopy(values, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }
}
