package io.tsflow.rollup.rules;

import io.tsflow.rollup.aggregate.CounterMode;
import java.io.Serializable;
import java.time.ZoneId;

/**
 * How one series is rolled up: the zone of its calendar buckets and how its drops are read if a
 * counter.
 */
public record SeriesPolicy(String rule, ZoneId zone, boolean counter, CounterMode counterMode)
        implements Serializable {

    public static final SeriesPolicy DEFAULT =
            new SeriesPolicy("default", ZoneId.of("UTC"), false, CounterMode.RESETS);
}
