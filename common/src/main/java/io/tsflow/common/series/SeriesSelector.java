package io.tsflow.common.series;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
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

    public boolean matches(String metricName, Map<String, String> seriesTags) {
        if (tagPatterns == null) {
            compile();
        }
        if (metricPattern != null && !metricPattern.matcher(metricName).matches()) {
            return false;
        }
        for (Map.Entry<String, Pattern> matcher : tagPatterns.entrySet()) {
            String value = seriesTags.get(matcher.getKey());
            if (value == null || !matcher.getValue().matcher(value).matches()) {
                return false;
            }
        }
        return true;
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
