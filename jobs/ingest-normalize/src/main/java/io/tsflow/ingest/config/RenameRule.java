package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rewrites a metric name that matches {@code match} (a Java regular expression matched against the
 * whole name): the metric becomes {@code metric} and {@code tags} are added; both may use named
 * captures as {@code ${name}}. Example: {@code match: 'app\.http\.status\.(?<code>\d+)'}, {@code
 * metric: app.http.status}, {@code tags: {code: '${code}'}}.
 */
public record RenameRule(String match, String metric, Map<String, String> tags)
        implements Validatable, Serializable {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");

    @JsonCreator
    public RenameRule(
            @JsonProperty("match") String match,
            @JsonProperty("metric") String metric,
            @JsonProperty("tags") Map<String, String> tags) {
        this.match = match;
        this.metric = metric;
        this.tags = tags == null ? Map.of() : new TreeMap<>(tags);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(match != null, Keys.join(path, "match"), "is required");
        Pattern pattern;
        try {
            pattern = Pattern.compile(match);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(
                    Keys.join(path, "match") + ": not a regular expression: " + e.getDescription());
        }
        ConfigException.require(
                metric != null || !tags.isEmpty(), path, "needs a metric or tags to set");
        String groups = pattern.pattern();
        for (String template : templates()) {
            Matcher reference = REFERENCE.matcher(template);
            while (reference.find()) {
                ConfigException.require(
                        groups.contains("(?<" + reference.group(1) + ">"),
                        path,
                        "uses ${" + reference.group(1) + "} but match has no such named group");
            }
        }
    }

    private Iterable<String> templates() {
        java.util.List<String> all = new java.util.ArrayList<>(tags.values());
        if (metric != null) {
            all.add(metric);
        }
        return all;
    }

    /** Replaces {@code ${name}} in {@code template} with the named groups of a successful match. */
    public static String expand(String template, Matcher matched) {
        Matcher reference = REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String value = matched.group(reference.group(1));
            reference.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        reference.appendTail(out);
        return out.toString();
    }
}
