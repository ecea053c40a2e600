package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.time.Interval;
import java.io.Serializable;
import java.time.Duration;

/**
 * One level of a rollup: its interval and how late an input may arrive and still revise its bucket.
 */
public record RollupLevel(Interval interval, Duration allowedLateness) implements Serializable {

    public static RollupLevel of(String interval, Duration allowedLateness) {
        return new RollupLevel(Interval.parse(interval), allowedLateness);
    }
}
