package io.tsflow.rollup.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a series' buckets close. On the series' own clock: a bucket fires once the series has sent a
 * point {@code outOfOrderness} past the bucket's end. On processing time: a series that sends
 * nothing for {@code idleAfter} has its open buckets emitted as they stand, and one silent for
 * {@code forgetAfter} is forgotten.
 */
public record SeriesTiming(Duration outOfOrderness, Duration idleAfter, Duration forgetAfter)
        implements Serializable {

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
