package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.time.Bucket;
import io.tsflow.schema.RawPoint;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the finest level keeps the points of a series' open buckets: those of the newest bucket in
 * the series' progress ({@link NewestBucketPoints}), those of older buckets still open for late
 * points in the level's own state. A point for the newest bucket, nearly every point of a series
 * that sends in order, then costs no state access beyond the progress. When a newer bucket opens,
 * the newest one's points move to the level's state in one write.
 */
final class PointInputs {

    private final LevelBuckets<RawPoint> level;

    PointInputs(LevelBuckets<RawPoint> level) {
        this.level = level;
    }

    LevelBuckets<RawPoint> level() {
        return level;
    }

    /** Stores {@code point} in {@code bucket}, replacing a point at the same timestamp. */
    void put(SeriesProgress progress, Bucket bucket, RawPoint point) throws Exception {
        long start = bucket.startMicros();
        NewestBucketPoints newest = progress.newest;
        if (newest != null && newest.start == start) {
            newest.put(point);
            return;
        }
        boolean open = progress.levels[0].indexOf(start) >= 0;
        if (!open && (newest == null || start > newest.start)) {
            if (newest != null) {
                level.putAll(newest.start, bySlot(newest));
            }
            progress.newest = NewestBucketPoints.of(start, point);
            return;
        }
        // An older bucket, or one whose points are in the level's state since before the newest
        // bucket was kept in the progress (state of an earlier version).
        level.put(bucket, point.getTimestampMicros(), point);
    }

    /** The points of {@code bucket} in time order. */
    Collection<RawPoint> pointsIn(SeriesProgress progress, Bucket bucket) throws Exception {
        NewestBucketPoints newest = progress.newest;
        if (newest != null && newest.start == bucket.startMicros()) {
            return Arrays.asList(newest.points);
        }
        return level.inputsIn(bucket).values();
    }

    /** Drops the points of the bucket starting at {@code start}. */
    void forget(SeriesProgress progress, long start) throws Exception {
        NewestBucketPoints newest = progress.newest;
        if (newest != null && newest.start == start) {
            progress.newest = null;
        } else {
            level.forget(start);
        }
    }

    private static Map<Long, RawPoint> bySlot(NewestBucketPoints bucket) {
        Map<Long, RawPoint> slots = new HashMap<>();
        for (RawPoint point : bucket.points) {
            slots.put(point.getTimestampMicros(), point);
        }
        return slots;
    }
}
