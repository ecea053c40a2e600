package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.util.List;

/** Everything that decides what the ingest job accepts and how it normalizes it. */
public record IngestRules(
        Limits limits,
        TimestampRules timestamps,
        List<RenameRule> renames,
        List<StaticTags> staticTags,
        String influxFieldSeparator,
        NewSeriesLimit newSeries)
        implements Validatable, Serializable {

    @JsonCreator
    public IngestRules(
            @JsonProperty("limits") Limits limits,
            @JsonProperty("timestamps") TimestampRules timestamps,
            @JsonProperty("renames") List<RenameRule> renames,
            @JsonProperty("staticTags") List<StaticTags> staticTags,
            @JsonProperty("influxFieldSeparator") String influxFieldSeparator,
            @JsonProperty("newSeries") NewSeriesLimit newSeries) {
        this.limits = limits == null ? Limits.defaults() : limits;
        this.timestamps = timestamps == null ? TimestampRules.defaults() : timestamps;
        this.renames = renames == null ? List.of() : List.copyOf(renames);
        this.staticTags = staticTags == null ? List.of() : List.copyOf(staticTags);
        this.influxFieldSeparator = influxFieldSeparator == null ? "." : influxFieldSeparator;
        this.newSeries = newSeries == null ? NewSeriesLimit.defaults() : newSeries;
    }

    public static IngestRules defaults() {
        return new IngestRules(null, null, null, null, null, null);
    }

    @Override
    public void validate(String path) {
        limits.validate(Keys.join(path, "limits"));
        timestamps.validate(Keys.join(path, "timestamps"));
        newSeries.validate(Keys.join(path, "newSeries"));
        for (int i = 0; i < renames.size(); i++) {
            renames.get(i).validate(Keys.join(path, "renames[" + i + "]"));
        }
        for (int i = 0; i < staticTags.size(); i++) {
            staticTags.get(i).validate(Keys.join(path, "staticTags[" + i + "]"));
        }
    }
}
