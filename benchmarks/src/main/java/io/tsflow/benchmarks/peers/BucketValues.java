package io.tsflow.benchmarks.peers;

/**
 * What every peer computes for one bucket: count, sum, min, max and mean. Sums of the same points
 * in another order may differ in the last bits, so values compare with a relative tolerance.
 */
public record BucketValues(long count, double sum, double min, double max, double mean) {

    private static final double TOLERANCE = 1e-9;

    public boolean matches(BucketValues other) {
        return count == other.count
                && close(sum, other.sum)
                && close(min, other.min)
                && close(max, other.max)
                && close(mean, other.mean);
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** The key of one bucket in every peer's output: series, interval and start. */
    public static String key(String seriesKey, String interval, long startMicros) {
        return seriesKey + "|" + interval + "|" + startMicros;
    }
}
