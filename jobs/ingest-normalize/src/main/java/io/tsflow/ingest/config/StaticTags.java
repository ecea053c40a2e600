package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Tags added to every point whose metric matches {@code metric} (a regular expression), unless
 * already set.
 */
public record StaticTags(String metric, Map<String, String> tags)
        implements Validatable, Serializable {

    @JsonCreator
    public StaticTags(
            @JsonProperty("metric") String metric, @JsonProperty("tags") Map<String, String> tags) {
        this.metric = metric;
        this.tags = tags == null ? Map.of() : new TreeMap<>(tags);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(metric != null, Keys.join(path, "metric"), "is required");
        try {
            Pattern.compile(metric);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(
                    Keys.join(path, "metric")
                            + ": not a regular expression: "
                            + e.getDescription());
        }
        ConfigException.require(!tags.isEmpty(), Keys.join(path, "tags"), "must not be empty");
    }
}
