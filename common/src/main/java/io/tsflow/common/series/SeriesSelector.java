package io.tsflow.common.series;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which series a rule applies to: a regular expression over the whole metric name and one per tag
 * over the whole tag value. A matcher on a tag the series lacks fails; no metric pattern and no tag
 * matchers select every series. Patterns compile once per instance, on first use (each parallel
 * task deserializes its own), since rules are asked for every point.
 */
public final class SeriesSelector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String metric;
    private final Map<String, String> tags;
    private transient Pattern metricPattern;
    private transient Map<String, Pattern> tagPatterns;

    public SeriesSelector(String metric, Map<String, String> tags) {
        this.metric = metric;
        this.tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Checks every pattern; errors name {@code path.metric} or {@code path.tags.<tag>}. */
    public void validate(String path) {
        checkPattern(Keys.join(path, "metric"), metric);
        tags.forEach((tag, pattern) -> checkPattern(Keys.join(path, "tags." + tag), pattern));
    }

    /** Whether it selects every series: no metric pattern and no tag matcher. */
    public boolean selectsEverySeries() {
        return metric == null && tags.isEmpty();
    }

    public boolean matches(String metricName, Map<String, String> seriesTags) {
        return matchesMetric(metricName) && matchesTags(seriesTags);
    }

    /** Whether the metric pattern (if any) matches: callers may cache this per metric name. */
    public boolean matchesMetric(String metricName) {
        if (tagPatterns == null) {
            compile();
        }
        return metricPattern == null || metricPattern.matcher(metricName).matches();
    }

    /** Whether every tag matcher matches. */
    public boolean matchesTags(Map<String, String> seriesTags) {
        if (tagPatterns == null) {
            compile();
        }
        for (Map.Entry<String, Pattern> matcher : tagPatterns.entrySet()) {
            String value = seriesTags.get(matcher.getKey());
            if (value == null || !matcher.getValue().matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The metric pattern's capture groups if the series is selected ({@code
     * application\.http\.status\.(.*)} gives {@code ["404"]} for {@code
     * application.http.status.404}); null if it is not; empty without groups.
     */
    public List<String> captures(String metricName, Map<String, String> seriesTags) {
        if (!matches(metricName, seriesTags)) {
            return null;
        }
        return captures(metricName);
    }

    /** The metric pattern's capture groups for a metric it matches (see {@link #matchesMetric}). */
    public List<String> captures(String metricName) {
        if (metricPattern == null) {
            return List.of();
        }
        Matcher matcher = metricPattern.matcher(metricName);
        matcher.matches();
        List<String> groups = new ArrayList<>(matcher.groupCount());
        for (int i = 1; i <= matcher.groupCount(); i++) {
            groups.add(matcher.group(i) == null ? "" : matcher.group(i));
        }
        return groups;
    }

    /** The number of capture groups of the metric pattern. */
    public int captureCount() {
        return metric == null ? 0 : Pattern.compile(metric).matcher("").groupCount();
    }

    private void compile() {
        metricPattern = metric == null ? null : Pattern.compile(metric);
        Map<String, Pattern> compiled = new LinkedHashMap<>();
        tags.forEach((tag, pattern) -> compiled.put(tag, Pattern.compile(pattern)));
        tagPatterns = compiled;
    }

    private static void checkPattern(String key, String pattern) {
        if (pattern == null) {
            return;
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(key + ": not a regular expression: " + e.getDescription());
        }
    }
}
