package io.tsflow.rollup.rules;

import io.tsflow.rollup.aggregate.CounterMode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one series is rolled up: the zone of its calendar buckets, how its drops are read if a
 * counter, which intervals are published (all levels are still computed: each builds on the one
 * below), how long each interval's rows are kept where the rule overrides the level, which
 * quantiles are reported and whether the mergeable sketch is published with them.
 *
 * @param publishedIntervals interval names to publish, or null for all
 * @param quantiles the reported quantiles by their key in the quantiles map (p50, p99.9), in order
 */
public record SeriesPolicy(
        String rule,
        ZoneId zone,
        boolean counter,
        CounterMode counterMode,
        Set<String> publishedIntervals,
        Map<String, Duration> retention,
        Map<String, Double> quantiles,
        boolean publishSketch)
        implements Serializable {

    public static final Map<String, Double> DEFAULT_QUANTILES =
            named(List.of(0.5, 0.9, 0.95, 0.99));

    public static final SeriesPolicy DEFAULT =
            new SeriesPolicy(
                    "default",
                    ZoneId.of("UTC"),
                    false,
                    CounterMode.RESETS,
                    null,
                    Map.of(),
                    DEFAULT_QUANTILES,
                    true);

    /** The quantiles by their keys, in the given order. */
    public static Map<String, Double> named(List<Double> quantiles) {
        Map<String, Double> named = new LinkedHashMap<>();
        quantiles.forEach(q -> named.put(quantileName(q), q));
        return Collections.unmodifiableMap(named);
    }

    /** The key of quantile {@code q}: p50, p99, p99.9. */
    public static String quantileName(double q) {
        return "p" + BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * Whether the series' buckets need a quantile sketch: only to report quantiles or to publish
     * the sketch itself.
     */
    public boolean needsSketch() {
        return !quantiles.isEmpty() || publishSketch;
    }

    public boolean publishes(String interval) {
        return publishedIntervals == null || publishedIntervals.contains(interval);
    }

    /** The rule's retention for {@code interval}, or {@code levelRetention} if it sets none. */
    public Duration retentionOf(String interval, Duration levelRetention) {
        return retention.getOrDefault(interval, levelRetention);
    }
}
