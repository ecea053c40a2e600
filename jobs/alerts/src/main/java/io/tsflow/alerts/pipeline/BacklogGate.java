package io.tsflow.alerts.pipeline;

import java.time.Duration;

/**
 * Tells a silent sensor from a lagging job. A series is only stale if the job is keeping up with
 * its input: while records arrive whose watermark trails the wall clock by more than {@code
 * maxLag}, the job is reading a backlog, and the points of "silent" sensors may be in it. Right
 * after a start or restore nothing has arrived yet, so the gate also waits {@code startupGrace} for
 * the backlog to begin flowing. When nothing arrives at all for {@code activeWithin}, the input is
 * silent rather than behind, and stale alerts fire even though no watermark moves.
 *
 * <p>One per parallel task, not checkpointed: after a restore it starts closed, which is the point.
 */
public final class BacklogGate {

    private final long maxLagMillis;
    private final long startupGraceMillis;
    private final long activeWithinMillis;
    private final long openedAtMillis;
    private long lastArrivalMillis = Long.MIN_VALUE;

    public BacklogGate(
            Duration maxLag, Duration startupGrace, Duration activeWithin, long nowMillis) {
        this.maxLagMillis = maxLag.toMillis();
        this.startupGraceMillis = startupGrace.toMillis();
        this.activeWithinMillis = activeWithin.toMillis();
        this.openedAtMillis = nowMillis;
    }

    public void recordArrived(long nowMillis) {
        lastArrivalMillis = nowMillis;
    }

    /** True when silence seen now means the sensor is silent, not that its points are queued. */
    public boolean caughtUp(long nowMillis, long watermarkMillis) {
        if (watermarkMillis >= nowMillis - maxLagMillis) {
            return true;
        }
        boolean recordsFlowing =
                lastArrivalMillis != Long.MIN_VALUE
                        && nowMillis - lastArrivalMillis < activeWithinMillis;
        if (recordsFlowing) {
            return false;
        }
        return nowMillis - openedAtMillis >= startupGraceMillis;
    }
}
