package io.tsflow.rollup.rules;

import io.tsflow.rollup.aggregate.CounterMode;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Selects series by metric name pattern and tag matchers (regular expressions over the whole name
 * or value; a matcher on an absent tag fails) and decides their zone (a fixed zone, or the value of
 * {@code zoneTag} when the series has that tag and it names a valid zone) and whether they are
 * counters.
 */
public record RollupRule(
        String name,
        String metric,
        Map<String, String> tags,
        String zone,
        String zoneTag,
        Boolean counter,
        Double counterWrapAt)
        implements Serializable {

    boolean matches(String metricName, Map<String, String> seriesTags) {
        if (metric != null && !Pattern.compile(metric).matcher(metricName).matches()) {
            return false;
        }
        if (tags != null) {
            for (Map.Entry<String, String> matcher : tags.entrySet()) {
                String value = seriesTags.get(matcher.getKey());
                if (value == null
                        || !Pattern.compile(matcher.getValue()).matcher(value).matches()) {
                    return false;
                }
            }
        }
        return true;
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
        return new SeriesPolicy(name, resolved, Boolean.TRUE.equals(counter), mode);
    }
}
