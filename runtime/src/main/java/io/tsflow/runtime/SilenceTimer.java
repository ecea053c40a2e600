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
     * would fall idle: set if none is, brought forward if the one set lies beyond {@code idleAt}
     * (the series is back after falling silent, and that timer is the one that would forget it),
     * otherwise left alone. Returns when the timer now fires.
     */
    public static long afterArrival(long wakeAtMillis, long idleAt, TimerService timers) {
        if (wakeAtMillis == NONE) {
            return set(idleAt, timers);
        }
        if (wakeAtMillis > idleAt) {
            timers.deleteProcessingTimeTimer(wakeAtMillis);
            return set(idleAt, timers);
        }
        return wakeAtMillis;
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
