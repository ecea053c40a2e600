package io.tsflow.alerts.pipeline;

/**
 * What one rule remembers about one series: when it last heard from it, the run of equal or
 * out-of-range values so far, and where its alert stands (inactive, pending or firing). A Flink
 * POJO of primitives (about 100 bytes serialized), so checkpoints stay small and nothing falls back
 * to Kryo. Times are processing-time milliseconds unless named {@code event}.
 */
public class RuleWatch {

    public static final byte INACTIVE = 0;
    public static final byte PENDING = 1;
    public static final byte FIRING = 2;
    public static final long NONE = -1;

    /** INACTIVE, PENDING or FIRING. */
    public byte phase = INACTIVE;

    public long lastArrivalMillis = NONE;
    public long lastEventMillis = NONE;
    public double lastValue = Double.NaN;

    /** Stuck: points in the current run of equal values, and the event time it began. */
    public long runPoints;

    public long runStartEventMillis = NONE;

    /** Out of range: consecutive points outside the range. */
    public long outOfRangePoints;

    public long pendingSinceMillis = NONE;
    public long firingSinceMillis = NONE;

    /** While firing: when the condition cleared (keepFiringFor counts from here), or NONE. */
    public long clearSinceMillis = NONE;

    /** While firing: when the alert was last handed to delivery (to re-send it periodically). */
    public long lastSentMillis = NONE;

    /**
     * CEP engine: when a stale match was held back because the job was behind (and no point has
     * come since), or NONE.
     */
    public long staleSuspectedMillis = NONE;

    /** The processing-time timer this watch relies on, or NONE. */
    public long wakeUpMillis = NONE;

    /** Whether this watch is in its rule's count of watched series (see WatchedRules#save). */
    public boolean counted;

    public RuleWatch() {}

    public boolean firing() {
        return phase == FIRING;
    }
}
