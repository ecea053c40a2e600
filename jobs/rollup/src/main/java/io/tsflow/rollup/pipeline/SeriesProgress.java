package io.tsflow.rollup.pipeline;

import io.tsflow.runtime.SilenceTimer;

/**
 * How far one series has come: the newest event time it has sent (its own clock, which closes its
 * buckets), when it last sent anything (processing time, to close the buckets of a series that fell
 * silent), the processing-time timer set for that, and the open buckets of every level. One per
 * series, stored by {@link SeriesProgressSerializer}; still a Flink POJO, the form in which builds
 * before that serializer stored it, so that their state can be read.
 */
public class SeriesProgress {

    /** No event seen yet, or no timer set. */
    public static final long NONE = Long.MIN_VALUE;

    public long newestEventMillis = NONE;
    public long lastArrivalMillis = NONE;
    public long wakeAtMillis = SilenceTimer.NONE;

    /**
     * Before this event time nothing is due: no changed bucket fires and no open bucket expires
     * ({@link #NONE}: not known, look). Spares most points the walk over every level's buckets.
     */
    public long nextDueMillis = NONE;

    public OpenBuckets[] levels;

    /**
     * The points of the finest level's newest open bucket, the one the series is filling (null:
     * none; state written before it existed has every bucket's points in the level's own state).
     */
    public NewestBucketPoints newest;

    /**
     * The points of the finest level's open buckets just before {@link #newest}, oldest first, kept
     * here while they hold few points between them ({@link PointInputs#RECENT_POINTS}), so that
     * firing such a bucket, and a late point for it, cost no state access either (null: none). The
     * older open buckets of that level keep theirs in the level's state.
     */
    public NewestBucketPoints[] recent;

    /**
     * The type of the series' identity (the point that last opened a bucket of the finest level): a
     * point of another type family is a type change. Kept here, read with every point anyway, so
     * that a point does not also read the identity. Null in state written before it existed.
     */
    public String type;

    /**
     * The series' identity: the first point of the finest bucket that received its first input
     * last, in {@link ObservationCodec}'s layout, decoded only when a bucket is emitted by a timer
     * or the type changes (null in state written before it was kept here, which keeps it in state
     * {@code identity}). Kept here so that a series costs no state entry of its own for it. Never
     * changed in place: replaced.
     */
    public byte[] identity;

    public SeriesProgress() {}

    static SeriesProgress start(int levelCount) {
        SeriesProgress progress = new SeriesProgress();
        progress.levels = new OpenBuckets[levelCount];
        for (int i = 0; i < levelCount; i++) {
            progress.levels[i] = new OpenBuckets();
        }
        return progress;
    }

    /**
     * The series' watermark: no point at or before it is expected any more. Like Flink's bounded
     * out-of-orderness watermark, but from this series' points alone.
     */
    long watermark(long outOfOrdernessMillis) {
        return newestEventMillis == NONE ? NONE : newestEventMillis - outOfOrdernessMillis - 1;
    }

    /** Notes that something falls due at {@code millis}, if that is earlier than known. */
    void dueBy(long millis) {
        nextDueMillis = Math.min(nextDueMillis, millis);
    }

    /** Whether no level has an open bucket left. */
    boolean nothingOpen() {
        for (OpenBuckets level : levels) {
            if (level.size() > 0) {
                return false;
            }
        }
        return true;
    }

    boolean anyChanged() {
        for (OpenBuckets level : levels) {
            if (level.anyChanged()) {
                return true;
            }
        }
        return false;
    }
}
