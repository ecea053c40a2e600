package io.tsflow.rollup.rules;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.connectors.cassandra.CassandraLimits;
import io.tsflow.rollup.aggregate.CounterMode;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selects series by metric name pattern and tag matchers (regular expressions over the whole name
 * or value; a matcher on an absent tag fails) and sets their policy: zone (a fixed zone, or the
 * value of {@code zoneTag} when the series has that tag and it names a valid zone), counter or
 * gauge, the intervals to publish, retention per interval, the quantiles to report and whether to
 * publish the sketch. Unset fields take the defaults of {@link SeriesPolicy#DEFAULT} and the
 * levels.
 */
public record RollupRule(
        String name,
        String metric,
        Map<String, String> tags,
        String zone,
        String zoneTag,
        Boolean counter,
        Double counterWrapAt,
        List<String> intervals,
        Map<String, Duration> retention,
        List<Double> quantiles,
        Boolean sketch)
        implements Serializable {

    /** Checks the rule against the configured level intervals; errors name the key under path. */
    public void validate(String path, Set<String> levelIntervals) {
        ConfigException.require(
                name != null && !name.isBlank(), Keys.join(path, "name"), "is required");
        selector().validate(path);
        if (zone != null) {
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new ConfigException(
                        Keys.join(path, "zone") + ": unknown time zone '" + zone + "'");
            }
        }
        ConfigException.require(
                counterWrapAt == null || counterWrapAt > 0,
                Keys.join(path, "counterWrapAt"),
                "must be positive");
        if (intervals != null) {
            ConfigException.require(
                    !intervals.isEmpty(),
                    Keys.join(path, "intervals"),
                    "must name at least one interval (omit it to publish all)");
            for (String interval : intervals) {
                ConfigException.require(
                        levelIntervals.contains(interval),
                        Keys.join(path, "intervals"),
                        "'" + interval + "' is not one of the levels " + levelIntervals);
            }
        }
        if (retention != null) {
            retention.forEach(
                    (interval, kept) -> {
                        String key = Keys.join(path, "retention." + interval);
                        ConfigException.require(
                                levelIntervals.contains(interval),
                                key,
                                "is not one of the levels " + levelIntervals);
                        CassandraLimits.checkTtl(kept, Duration.ZERO, key);
                    });
        }
        if (quantiles != null) {
            for (Double q : quantiles) {
                ConfigException.require(
                        q != null && q > 0 && q < 1,
                        Keys.join(path, "quantiles"),
                        "each quantile must be strictly between 0 and 1, got " + q);
            }
        }
    }

    SeriesSelector selector() {
        return new SeriesSelector(metric, tags);
    }

    SeriesPolicy policyFor(Map<String, String> seriesTags) {
        ZoneId resolved = zone == null ? ZoneId.of("UTC") : ZoneId.of(zone);
        if (zoneTag != null && seriesTags.containsKey(zoneTag)) {
            try {
                resolved = ZoneId.of(seriesTags.get(zoneTag));
            } catch (RuntimeException e) {
                // An unknown zone in a tag keeps the rule's zone rather than dropping the series.
            }
        }
        CounterMode mode =
                counterWrapAt == null ? CounterMode.RESETS : CounterMode.wrappingAt(counterWrapAt);
        return new SeriesPolicy(
                name,
                resolved,
                Boolean.TRUE.equals(counter),
                mode,
                intervals == null ? null : Set.copyOf(intervals),
                retention == null ? Map.of() : Map.copyOf(retention),
                quantiles == null ? SeriesPolicy.DEFAULT_QUANTILES : SeriesPolicy.named(quantiles),
                sketch == null || sketch);
    }
}
