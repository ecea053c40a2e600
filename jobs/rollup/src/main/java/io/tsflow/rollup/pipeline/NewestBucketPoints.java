package io.tsflow.rollup.pipeline;

import io.tsflow.schema.RawPoint;
import java.util.Arrays;

/**
 * The points of one open bucket of the finest level, kept inside the series' {@link SeriesProgress}
 * rather than in a state entry of their own: the bucket a series is filling. Most points go to that
 * bucket, and the progress is read and written with every point anyway, so they cost no state
 * access of their own. One point per timestamp, in time order; a point at a known timestamp
 * replaces the earlier one. A Flink POJO.
 */
public class NewestBucketPoints {

    /** The start of the bucket, in microseconds. */
    public long start;

    public RawPoint[] points = new RawPoint[0];

    public NewestBucketPoints() {}

    static NewestBucketPoints of(long start, RawPoint first) {
        NewestBucketPoints bucket = new NewestBucketPoints();
        bucket.start = start;
        bucket.points = new RawPoint[] {first};
        return bucket;
    }

    /** Adds {@code point}, replacing one at the same timestamp. */
    void put(RawPoint point) {
        long micros = point.getTimestampMicros();
        int last = points.length - 1;
        if (last < 0 || points[last].getTimestampMicros() < micros) {
            // In order, the usual case: no search.
            points = Arrays.copyOf(points, points.length + 1);
            points[last + 1] = point;
            return;
        }
        int at = search(micros);
        if (at >= 0) {
            points[at] = point;
            return;
        }
        int insertion = -at - 1;
        RawPoint[] grown = new RawPoint[points.length + 1];
        System.arraycopy(points, 0, grown, 0, insertion);
        grown[insertion] = point;
        System.arraycopy(points, insertion, grown, insertion + 1, points.length - insertion);
        points = grown;
    }

    private int search(long micros) {
        int low = 0;
        int high = points.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long found = points[middle].getTimestampMicros();
            if (found < micros) {
                low = middle + 1;
            } else if (found > micros) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }
}
