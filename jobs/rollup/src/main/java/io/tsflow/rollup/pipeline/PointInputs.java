package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.time.Bucket;
import io.tsflow.schema.RawPoint;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the finest level keeps the points of a series' open buckets: those of the newest bucket and
 * of the few open ones just before it in the series' progress ({@link NewestBucketPoints}), those
 * of older buckets still open for late points in the level's own state. A series that sends in
 * order then fills, fires and revises its buckets without a state access beyond the progress; a
 * bucket's points move to the level's state in one write only once the buckets before the newest
 * hold more than {@link #RECENT_POINTS} points between them (with many points per bucket, or a long
 * allowed lateness), which bounds what the progress carries.
 */
final class PointInputs {

    /**
     * The most points the open buckets before the newest keep in the progress, between them: at a
     * point every 10 s, the minutes of the default 5-minute lateness. The progress is read and
     * written with every run of points, so on RocksDB each point kept there is (de)serialized again
     * with every run.
     */
    static final int RECENT_POINTS = 64;

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
        NewestBucketPoints kept = keptInProgress(progress, start);
        if (kept != null) {
            kept.put(point);
            return;
        }
        NewestBucketPoints newest = progress.newest;
        boolean open = progress.levels[0].indexOf(start) >= 0;
        if (!open && (newest == null || start > newest.start)) {
            if (newest != null) {
                keepRecent(progress, newest);
            }
            progress.newest = NewestBucketPoints.of(start, point);
            return;
        }
        // An older bucket: one whose points moved to the level's state, one opened by a late point
        // (rare), or one whose points are there since before the progress kept them (state of an
        // earlier version).
        level.put(progress.levels[0], bucket, point.getTimestampMicros(), point);
    }

    /** The points of {@code bucket} in time order. */
    Collection<RawPoint> pointsIn(SeriesProgress progress, Bucket bucket) throws Exception {
        NewestBucketPoints kept = keptInProgress(progress, bucket.startMicros());
        if (kept != null) {
            return Arrays.asList(kept.points);
        }
        return level.inputsIn(progress.levels[0], bucket).values();
    }

    /** Drops the points of the bucket starting at {@code start}. */
    void forget(SeriesProgress progress, long start) throws Exception {
        NewestBucketPoints newest = progress.newest;
        if (newest != null && newest.start == start) {
            progress.newest = null;
            return;
        }
        NewestBucketPoints[] recent = progress.recent;
        int at = recent == null ? -1 : indexOf(recent, start);
        if (at >= 0) {
            progress.recent = recent.length == 1 ? null : without(recent, at);
        } else {
            level.forget(progress.levels[0], start);
        }
    }

    /** The bucket starting at {@code start} if the progress keeps its points, else null. */
    private static NewestBucketPoints keptInProgress(SeriesProgress progress, long start) {
        NewestBucketPoints newest = progress.newest;
        if (newest != null && newest.start == start) {
            return newest;
        }
        NewestBucketPoints[] recent = progress.recent;
        if (recent == null) {
            return null;
        }
        int at = indexOf(recent, start);
        return at < 0 ? null : recent[at];
    }

    /**
     * Keeps {@code bucket}, the newest until now, among the recent buckets of the progress; moves
     * the oldest of them to the level's state while they hold more than {@link #RECENT_POINTS}.
     */
    private void keepRecent(SeriesProgress progress, NewestBucketPoints bucket) throws Exception {
        NewestBucketPoints[] recent =
                progress.recent == null
                        ? new NewestBucketPoints[] {bucket}
                        : SortedArrays.insert(progress.recent, progress.recent.length, bucket);
        int held = 0;
        for (NewestBucketPoints kept : recent) {
            held += kept.points.length;
        }
        int moved = 0;
        while (held > RECENT_POINTS) {
            NewestBucketPoints oldest = recent[moved];
            level.putAll(progress.levels[0], oldest.start, bySlot(oldest));
            held -= oldest.points.length;
            moved++;
        }
        progress.recent =
                moved == recent.length ? null : Arrays.copyOfRange(recent, moved, recent.length);
    }

    private static int indexOf(NewestBucketPoints[] buckets, long start) {
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i].start == start) {
                return i;
            }
        }
        return -1;
    }

    private static NewestBucketPoints[] without(NewestBucketPoints[] buckets, int at) {
        NewestBucketPoints[] left = new NewestBucketPoints[buckets.length - 1];
        System.arraycopy(buckets, 0, left, 0, at);
        System.arraycopy(buckets, at + 1, left, at, buckets.length - at - 1);
        return left;
    }

    private static Map<Long, RawPoint> bySlot(NewestBucketPoints bucket) {
        Map<Long, RawPoint> slots = new HashMap<>();
        for (RawPoint point : bucket.points) {
            slots.put(point.getTimestampMicros(), point);
        }
        return slots;
    }
}
