package io.tsflow.derived.pipeline;

import java.util.Arrays;

/**
 * The recent points of one input series of one derived series, in time order (a point that repeats
 * a timestamp replaces the earlier one), pruned to the lookback plus the allowed lateness; the
 * newest point is always kept, for {@code fill: previous}. A Flink POJO of primitive arrays.
 */
public class SeriesWindow {

    public String input;
    public long[] times = new long[0];
    public double[] values = new double[0];

    public SeriesWindow() {}

    public SeriesWindow(String input) {
        this.input = input;
    }

    void add(long time, double value) {
        int at = Arrays.binarySearch(times, time);
        if (at >= 0) {
            values[at] = value;
            return;
        }
        int insert = -at - 1;
        long[] newTimes = new long[times.length + 1];
        double[] newValues = new double[values.length + 1];
        System.arraycopy(times, 0, newTimes, 0, insert);
        System.arraycopy(values, 0, newValues, 0, insert);
        newTimes[insert] = time;
        newValues[insert] = value;
        System.arraycopy(times, insert, newTimes, insert + 1, times.length - insert);
        System.arraycopy(values, insert, newValues, insert + 1, values.length - insert);
        times = newTimes;
        values = newValues;
    }

    /** Drops points at or before {@code horizon}, except the newest; true if it dropped any. */
    boolean prune(long horizon) {
        int keepFrom = 0;
        while (keepFrom < times.length - 1 && times[keepFrom] <= horizon) {
            keepFrom++;
        }
        if (keepFrom > 0) {
            times = Arrays.copyOfRange(times, keepFrom, times.length);
            values = Arrays.copyOfRange(values, keepFrom, values.length);
        }
        return keepFrom > 0;
    }

    long newestTime() {
        return times.length == 0 ? Long.MIN_VALUE : times[times.length - 1];
    }

    /** The time of the first point after {@code millis}, or {@code Long.MAX_VALUE}. */
    long firstAfter(long millis) {
        int start = range(millis, Long.MAX_VALUE)[0];
        return start < times.length ? times[start] : Long.MAX_VALUE;
    }

    /**
     * Index of the first point after {@code from}, and past the last point at or before {@code to}.
     */
    int[] range(long from, long to) {
        int start = 0;
        while (start < times.length && times[start] <= from) {
            start++;
        }
        int end = start;
        while (end < times.length && times[end] <= to) {
            end++;
        }
        return new int[] {start, end};
    }
}
