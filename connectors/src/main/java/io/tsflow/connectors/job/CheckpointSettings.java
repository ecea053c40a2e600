package io.tsflow.connectors.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;

/**
 * Checkpointing of a job. Kafka transactions commit on each checkpoint, so {@code interval} is also
 * the latency of read_committed consumers downstream. {@code directory} (file://, s3://, ...)
 * overrides the cluster's execution.checkpointing.dir; leave it unset on a configured cluster.
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
        this.timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
        this.minPause = minPause == null ? Duration.ofMillis(500) : minPause;
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
                timeout.compareTo(interval) >= 0,
                Keys.join(path, "timeout"),
                "must be >= interval");
    }
}
