package io.tsflow.rollup.pipeline;

import io.tsflow.schema.RawPoint;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The points of one open bucket of the finest level, kept inside the series' {@link SeriesProgress}
 * rather than in a state entry of their own: the bucket a series is filling, and the few before it
 * ({@link SeriesProgress#recent}). Most points go to the first, most buckets fire while among the
 * others, and the progress is read and written with every run of points anyway, so they cost no
 * state access of their own. One point per timestamp, in time order; a point at a known timestamp
 * replaces the earlier one. A Flink POJO.
 */
public class NewestBucketPoints {

    /** The start of the bucket, in microseconds. */
    public long start;

    public RawPoint[] points = new RawPoint[0];

    private static final Comparator<RawPoint> BY_TIME =
            Comparator.comparingLong(RawPoint::getTimestampMicros);

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
        if (last >= 0 && points[last].getTimestampMicros() < micros) {
            // In order, the usual case: no search.
            points = SortedArrays.insert(points, points.length, point);
            return;
        }
        int at = Arrays.binarySearch(points, point, BY_TIME);
        if (at >= 0) {
            points[at] = point;
        } else {
            points = SortedArrays.insert(points, -at - 1, point);
        }
    }
}
