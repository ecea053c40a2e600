package io.tsflow.rollup.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import io.tsflow.rollup.pipeline.MiniBatch;
import java.io.Serializable;
import java.time.Duration;

/** Section {@code miniBatch}: how many points each source subtask gathers before the shuffle. */
public record MiniBatchSettings(Integer maxPoints, Duration maxDelay)
        implements Validatable, Serializable {

    @JsonCreator
    public MiniBatchSettings(
            @JsonProperty("maxPoints") Integer maxPoints,
            @JsonProperty("maxDelay") Duration maxDelay) {
        this.maxPoints = maxPoints == null ? MiniBatch.DEFAULT.maxPoints() : maxPoints;
        this.maxDelay = maxDelay == null ? MiniBatch.DEFAULT.maxDelay() : maxDelay;
    }

    static MiniBatchSettings defaults() {
        return new MiniBatchSettings(null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(maxPoints >= 1, Keys.join(path, "maxPoints"), "must be at least 1");
        ConfigException.require(
                !maxDelay.isNegative(), Keys.join(path, "maxDelay"), "must not be negative");
    }

    public MiniBatch miniBatch() {
        return new MiniBatch(maxPoints, maxDelay);
    }
}
