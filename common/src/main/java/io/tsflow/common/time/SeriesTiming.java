package io.tsflow.common.time;

import io.tsflow.common.config.ConfigException;
import java.io.Serializable;
import java.time.Duration;

/**
 * How a job keeps time per series instead of with a job-wide watermark. On event time: a series'
 * clock is the newest event time it has sent, and points up to {@code outOfOrderness} behind it are
 * still expected. On processing time: a series that sends nothing for {@code idleAfter} no longer
 * holds anything back (the rollup emits its open buckets as they stand; a derived series stops
 * waiting for it), and one silent for {@code forgetAfter} is forgotten.
 */
public record SeriesTiming(Duration outOfOrderness, Duration idleAfter, Duration forgetAfter)
        implements Serializable {

    /**
     * The timing a job's configuration asks for with keys {@code outOfOrderness}, {@code idleness}
     * and {@code forgetAfter}; one out of bounds is a configuration error naming them.
     */
    public static SeriesTiming configured(
            Duration outOfOrderness, Duration idleness, Duration forgetAfter) {
        try {
            return new SeriesTiming(outOfOrderness, idleness, forgetAfter);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("outOfOrderness, idleness, forgetAfter: " + e.getMessage());
        }
    }

    public SeriesTiming {
        if (outOfOrderness.isNegative() || idleAfter.isNegative() || idleAfter.isZero()) {
            throw new IllegalArgumentException(
                    "outOfOrderness must not be negative and the idle delay must be positive");
        }
        if (forgetAfter.compareTo(idleAfter) < 0) {
            throw new IllegalArgumentException(
                    "forgetAfter ("
                            + forgetAfter
                            + ") must be at least the idle delay ("
                            + idleAfter
                            + ")");
        }
    }
}
