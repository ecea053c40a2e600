package io.tsflow.rollup.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraLimits;
import io.tsflow.rollup.pipeline.RollupLevel;
import io.tsflow.rollup.time.Interval;
import java.io.Serializable;
import java.time.Duration;

/**
 * One level: its interval, how late inputs may revise it, and how long its rows are kept (0s:
 * forever).
 */
public record LevelSettings(String interval, Duration allowedLateness, Duration retention)
        implements Validatable, Serializable {

    @JsonCreator
    public LevelSettings(
            @JsonProperty("interval") String interval,
            @JsonProperty("allowedLateness") Duration allowedLateness,
            @JsonProperty("retention") Duration retention) {
        this.interval = interval;
        this.allowedLateness = allowedLateness == null ? Duration.ofMinutes(5) : allowedLateness;
        this.retention = retention == null ? Duration.ZERO : retention;
    }

    @Override
    public void validate(String path) {
        try {
            Interval.parse(interval);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Keys.join(path, "interval") + ": " + e.getMessage());
        }
        ConfigException.require(
                !allowedLateness.isNegative(),
                Keys.join(path, "allowedLateness"),
                "must not be negative");
        CassandraLimits.checkTtl(retention, Duration.ZERO, Keys.join(path, "retention"));
    }

    public RollupLevel level() {
        return new RollupLevel(Interval.parse(interval), allowedLateness);
    }
}
