package io.tsflow.runtime;

import org.apache.flink.streaming.api.TimerService;

/**
 * The one processing-time timer a keyed series holds for its silence ({@code SilenceClock}): set
 * when the series first sends, then at each change of its silence stage. A series' progress keeps
 * the time the timer is set for, {@link #NONE} when none is, so that a timer is never registered
 * twice nor left behind.
 */
public final class SilenceTimer {

    /** No timer set. */
    public static final long NONE = Long.MIN_VALUE;

    private SilenceTimer() {}

    /**
     * The timer after the series sent at processing time {@code now}, {@code idleAt} being when it
     * would fall idle: set if none is; moved to {@code idleAt} if the one set lies beyond it (the
     * series is back after falling silent, and that timer is the one that would forget it) or fires
     * before {@code renewBefore}; otherwise left alone. Returns when the timer now fires.
     *
     * <p>A timer that fires while its series is still active moves itself forward, at the cost of a
     * read and a write of the series' state; moving it here, in an arrival that writes that state
     * anyway, costs two timer updates. With {@code renewBefore} half an idleness ahead of the
     * arrival, a series that sends at least that often never has its timer fire while it is active,
     * and moves it at most twice per idleness.
     */
    public static long afterArrival(
            long wakeAtMillis, long idleAt, long renewBefore, TimerService timers) {
        if (wakeAtMillis == NONE) {
            return set(idleAt, timers);
        }
        if (wakeAtMillis > idleAt || wakeAtMillis < renewBefore) {
            timers.deleteProcessingTimeTimer(wakeAtMillis);
            return set(idleAt, timers);
        }
        return wakeAtMillis;
    }

    /**
     * The timer after an arrival, left to move itself forward when it fires (for a function whose
     * timer also has other work to do while its series is active): {@link #afterArrival(long, long,
     * long, TimerService)} without renewing.
     */
    public static long afterArrival(long wakeAtMillis, long idleAt, TimerService timers) {
        return afterArrival(wakeAtMillis, idleAt, Long.MIN_VALUE, timers);
    }

    /** Sets the timer for {@code at} and returns it. */
    public static long set(long at, TimerService timers) {
        timers.registerProcessingTimeTimer(at);
        return at;
    }

    /** Removes the timer set for {@code wakeAtMillis}, if any. */
    public static void clear(long wakeAtMillis, TimerService timers) {
        if (wakeAtMillis != NONE) {
            timers.deleteProcessingTimeTimer(wakeAtMillis);
        }
    }
}
