package io.tsflow.ingest.normalize;

import io.tsflow.ingest.config.NewSeriesLimit;

/**
 * Lets at most {@link NewSeriesLimit#perMinute()} series this subtask has not seen lately through
 * per minute (a token bucket that holds a minute's worth), so that one gateway sending a million
 * distinct tag values cannot create a million series. Series already seen always pass. Until {@link
 * NewSeriesLimit#startupGrace()} after a start without remembered series, every series passes: on a
 * first start all of them are new.
 */
public final class NewSeriesGate {

    private final KnownSeries known;
    private final double perMilli;
    private final double burst;
    private final long limitFromMillis;
    private double tokens;
    private long lastMillis;

    /**
     * {@code remembered}: the fingerprints of a checkpoint (may be empty); {@code startupGrace}:
     * whether every series passes for the grace period first (a first start, or a change of
     * parallelism that moved series between subtasks).
     */
    public NewSeriesGate(
            NewSeriesLimit limit, long nowMillis, long[] remembered, boolean startupGrace) {
        this.known = new KnownSeries(limit.remember());
        this.perMilli = limit.perMinute() / 60_000.0;
        this.burst = limit.perMinute();
        this.tokens = burst;
        this.lastMillis = nowMillis;
        for (long fingerprint : remembered) {
            known.add(fingerprint);
        }
        this.limitFromMillis =
                startupGrace ? nowMillis + limit.startupGrace().toMillis() : nowMillis;
    }

    /** Whether a point of {@code seriesKey} may pass at {@code nowMillis}. */
    public boolean admit(String seriesKey, long nowMillis) {
        long fingerprint = KnownSeries.fingerprint(seriesKey);
        if (known.seen(fingerprint)) {
            return true;
        }
        if (nowMillis >= limitFromMillis) {
            refill(nowMillis);
            if (tokens < 1) {
                // Refused, and not remembered: the series stays new until a token is free.
                return false;
            }
            tokens -= 1;
        }
        known.add(fingerprint);
        return true;
    }

    private void refill(long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * perMilli);
            lastMillis = nowMillis;
        }
    }

    /** The remembered series, for a checkpoint. */
    public long[] fingerprints() {
        return known.fingerprints();
    }
}
