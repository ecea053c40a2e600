package io.tsflow.benchmarks.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.tsflow.schema.Observation;
import java.util.HashMap;
import java.util.Map;

/**
 * The baseline: what a careful programmer writes without Flink to roll up an in-order stream on one
 * thread. Per series, the open minute and hour each keep count, sum, min, max, sum of squares and a
 * DDSketch (1 % accuracy, as the job); a minute closes when the series moves past it, is reported
 * (mean, variance, four quantiles) and merged into its hour. It has no state backend, no
 * checkpoints, no time zones, no out-of-order or late points and no duplicate handling: the ratio
 * against it is the price of those.
 */
public final class HandWrittenRollupLoop {

    private static final long MINUTE = 60_000_000L;
    private static final long HOUR = 3_600_000_000L;
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};

    /** Accumulators of one open bucket. */
    private static final class Bucket {
        long start = Long.MIN_VALUE;
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sumOfSquares;
        DDSketch sketch = DDSketches.unboundedDense(0.01);

        void add(double value) {
            count++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
            sumOfSquares += value * value;
            sketch.accept(value);
        }

        void merge(Bucket lower) {
            count += lower.count;
            sum += lower.sum;
            min = Math.min(min, lower.min);
            max = Math.max(max, lower.max);
            sumOfSquares += lower.sumOfSquares;
            sketch.mergeWith(lower.sketch);
        }

        /** Reports the bucket (a checksum stands in for the output) and starts the next one. */
        double closeAndReset(long nextStart) {
            double report = 0;
            if (count > 0) {
                double mean = sum / count;
                report = mean + (sumOfSquares / count - mean * mean) + min + max;
                for (double q : QUANTILES) {
                    report += sketch.getValueAtQuantile(q);
                }
            }
            start = nextStart;
            count = 0;
            sum = 0;
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            sumOfSquares = 0;
            sketch = DDSketches.unboundedDense(0.01);
            return report;
        }
    }

    /** The open minute and hour of one series. */
    private static final class SeriesBuckets {
        final Bucket minute = new Bucket();
        final Bucket hour = new Bucket();
    }

    private HandWrittenRollupLoop() {}

    /**
     * Rolls up readings {@code 0 .. points-1} of {@code readings} and returns the number of buckets
     * reported (the open ones included at the end), so that the work cannot be optimized away.
     */
    public static long run(SensorReadings readings, long points) {
        Map<String, SeriesBuckets> open = new HashMap<>();
        long reported = 0;
        double checksum = 0;
        for (long i = 0; i < points; i++) {
            Observation point = readings.reading(i);
            long micros = point.getTimestampMicros();
            double value = (Double) point.getValue();
            SeriesBuckets buckets =
                    open.computeIfAbsent(point.getSeriesKey(), k -> new SeriesBuckets());
            long minuteStart = Math.floorDiv(micros, MINUTE) * MINUTE;
            if (buckets.minute.start != minuteStart) {
                if (buckets.minute.count > 0) {
                    buckets.hour.merge(buckets.minute);
                    reported++;
                }
                checksum += buckets.minute.closeAndReset(minuteStart);
                long hourStart = Math.floorDiv(micros, HOUR) * HOUR;
                if (buckets.hour.start != hourStart) {
                    reported += buckets.hour.count > 0 ? 1 : 0;
                    checksum += buckets.hour.closeAndReset(hourStart);
                }
            }
            buckets.minute.add(value);
        }
        for (SeriesBuckets buckets : open.values()) {
            reported += 2;
            checksum += buckets.minute.closeAndReset(0) + buckets.hour.closeAndReset(0);
        }
        return checksum == Double.MIN_VALUE ? -1 : reported;
    }
}
