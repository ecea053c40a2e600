package io.tsflow.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;

/**
 * Checkpointing of a job. Kafka transactions commit on each checkpoint, so {@code interval} is also
 * the latency of read_committed consumers downstream. {@code timeout}, {@code minPause} and {@code
 * directory} (file://, s3://, ...) override the cluster's {@code execution.checkpointing.timeout},
 * {@code .min-pause} and {@code .dir} only when set: a production cluster's configuration (see
 * flink-conf/) decides them.
 */
public record CheckpointSettings(
        Duration interval, Duration timeout, Duration minPause, String directory)
        implements Validatable, Serializable {

    @JsonCreator
    public CheckpointSettings(
            @JsonProperty("interval") Duration interval,
            @JsonProperty("timeout") Duration timeout,
            @JsonProperty("minPause") Duration minPause,
            @JsonProperty("directory") String directory) {
        this.interval = interval == null ? Duration.ofSeconds(10) : interval;
        this.timeout = timeout;
        this.minPause = minPause;
        this.directory = directory;
    }

    public static CheckpointSettings defaults() {
        return new CheckpointSettings(null, null, null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(
                interval.compareTo(Duration.ofMillis(100)) >= 0,
                Keys.join(path, "interval"),
                "must be at least 100ms");
        ConfigException.require(
                timeout == null || timeout.compareTo(interval) >= 0,
                Keys.join(path, "timeout"),
                "must be >= interval");
        ConfigException.require(
                minPause == null || !minPause.isNegative(),
                Keys.join(path, "minPause"),
                "must not be negative");
    }
}
