package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;

/**
 * How many series an ingest subtask lets appear: at most {@code perMinute} series it has not seen
 * before per minute (a burst of that many at once), remembering the last {@code remember} series it
 * saw. The limit holds from {@code startupGrace} after a first start with no checkpoint, when every
 * series is new; a restore brings the remembered series back.
 */
public record NewSeriesLimit(Integer perMinute, Integer remember, Duration startupGrace)
        implements Validatable, Serializable {

    @JsonCreator
    public NewSeriesLimit(
            @JsonProperty("perMinute") Integer perMinute,
            @JsonProperty("remember") Integer remember,
            @JsonProperty("startupGrace") Duration startupGrace) {
        this.perMinute = perMinute == null ? 10_000 : perMinute;
        this.remember = remember == null ? 1_000_000 : remember;
        this.startupGrace = startupGrace == null ? Duration.ofMinutes(10) : startupGrace;
    }

    public static NewSeriesLimit defaults() {
        return new NewSeriesLimit(null, null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(perMinute >= 1, Keys.join(path, "perMinute"), "must be at least 1");
        ConfigException.require(
                remember >= 1_000 && remember <= 50_000_000,
                Keys.join(path, "remember"),
                "must be between 1000 and 50000000 (up to 32 bytes of heap each)");
        ConfigException.require(
                !startupGrace.isNegative(),
                Keys.join(path, "startupGrace"),
                "must not be negative");
    }
}
