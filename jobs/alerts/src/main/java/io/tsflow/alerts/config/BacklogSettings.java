package io.tsflow.alerts.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;

/**
 * How the job tells a lagging input from a silent sensor (see {@code BacklogGate}): the watermark
 * may trail the clock by {@code maxLag} before the job counts as behind; after a start it waits
 * {@code startupGrace} for the backlog to flow; no record for {@code activeWithin} means the input
 * is silent; a held-back stale check is retried every {@code recheckEvery}.
 */
public record BacklogSettings(
        Duration maxLag, Duration startupGrace, Duration activeWithin, Duration recheckEvery)
        implements Validatable, Serializable {

    @JsonCreator
    public BacklogSettings(
            @JsonProperty("maxLag") Duration maxLag,
            @JsonProperty("startupGrace") Duration startupGrace,
            @JsonProperty("activeWithin") Duration activeWithin,
            @JsonProperty("recheckEvery") Duration recheckEvery) {
        this.maxLag = maxLag == null ? Duration.ofMinutes(1) : maxLag;
        this.startupGrace = startupGrace == null ? Duration.ofSeconds(30) : startupGrace;
        this.activeWithin = activeWithin == null ? Duration.ofSeconds(5) : activeWithin;
        this.recheckEvery = recheckEvery == null ? Duration.ofSeconds(1) : recheckEvery;
    }

    public static BacklogSettings defaults() {
        return new BacklogSettings(null, null, null, null);
    }

    @Override
    public void validate(String path) {
        positive(Keys.join(path, "maxLag"), maxLag);
        ConfigException.require(
                !startupGrace.isNegative(),
                Keys.join(path, "startupGrace"),
                "must not be negative");
        positive(Keys.join(path, "activeWithin"), activeWithin);
        ConfigException.require(
                recheckEvery.compareTo(Duration.ofMillis(100)) >= 0,
                Keys.join(path, "recheckEvery"),
                "must be at least 100ms");
    }

    private static void positive(String key, Duration value) {
        ConfigException.require(!value.isNegative() && !value.isZero(), key, "must be positive");
    }
}
