package io.tsflow.common.time;

/**
 * How long a keyed series (a rollup series, a derived series' input) has been silent, on processing
 * time, and what that makes it: active, idle (it no longer holds anything back) or expired (its
 * state is forgotten). One per task: silence counts from the moment the task first looked at the
 * clock at the earliest, so a restore after downtime gives the backlog time to arrive before every
 * series takes itself for silent.
 */
public final class SilenceClock {

    /** What a series is after its silence. */
    public enum Stage {
        ACTIVE,
        IDLE,
        EXPIRED
    }

    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final long idleMillis;
    private final long forgetMillis;
    private long startedAtMillis = NOT_STARTED;

    public SilenceClock(SeriesTiming timing) {
        this.idleMillis = timing.idleAfter().toMillis();
        this.forgetMillis = timing.forgetAfter().toMillis();
    }

    /** Notes the task's processing time {@code now} (the first one starts the clock). */
    public long observe(long now) {
        if (startedAtMillis == NOT_STARTED) {
            startedAtMillis = now;
        }
        return now;
    }

    /** When idleness ends for a series that has just sent something. */
    public long idleAt(long arrivalMillis) {
        return arrivalMillis + idleMillis;
    }

    /**
     * The time before which a series that has just sent moves its silence timer forward rather than
     * have it fire while the series is still active: a quarter of an idleness after the arrival.
     */
    public long renewTimerBefore(long arrivalMillis) {
        return arrivalMillis + idleMillis / 4;
    }

    /** What a series that last sent at {@code lastArrivalMillis} is at {@code now}. */
    public Stage stageAt(long now, long lastArrivalMillis) {
        long silentSince = silentSince(lastArrivalMillis);
        if (now >= silentSince + forgetMillis) {
            return Stage.EXPIRED;
        }
        return now >= silentSince + idleMillis ? Stage.IDLE : Stage.ACTIVE;
    }

    /** When the series' stage next changes if it stays silent: at idleness, then at expiry. */
    public long nextChange(long now, long lastArrivalMillis) {
        long silentSince = silentSince(lastArrivalMillis);
        long idleAt = silentSince + idleMillis;
        return now < idleAt ? idleAt : silentSince + forgetMillis;
    }

    private long silentSince(long lastArrivalMillis) {
        return startedAtMillis == NOT_STARTED
                ? lastArrivalMillis
                : Math.max(lastArrivalMillis, startedAtMillis);
    }
}
