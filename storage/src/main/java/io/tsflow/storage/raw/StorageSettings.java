package io.tsflow.storage.raw;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraLimits;
import io.tsflow.runtime.StorageSection;
import java.io.Serializable;
import java.time.Duration;

/**
 * The Cassandra raw table's partitioning and retention.
 *
 * @param shard {@code month} (partition per series per UTC month) or {@code day} for high-frequency
 *     series
 * @param ttl how long raw points are kept; {@code 0s} keeps them forever
 * @param enabled whether the job writes Cassandra at all (Kafka only when false)
 */
public record StorageSettings(String shard, Duration ttl, boolean enabled)
        implements Validatable, StorageSection, Serializable {

    @JsonCreator
    public static StorageSettings of(
            @JsonProperty("shard") String shard,
            @JsonProperty("ttl") Duration ttl,
            @JsonProperty("enabled") Boolean enabled) {
        return new StorageSettings(
                shard == null ? "month" : shard,
                ttl == null ? Duration.ofDays(30) : ttl,
                enabled == null || enabled);
    }

    public static StorageSettings defaults() {
        return of(null, null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(
                shard.equals("month") || shard.equals("day"),
                Keys.join(path, "shard"),
                "must be month or day");
        // Series registry rows are kept a shard and a day longer than points
        // (RawObservationMapper).
        CassandraLimits.checkTtl(
                ttl, new Shards(shard).length().plus(Duration.ofDays(1)), Keys.join(path, "ttl"));
    }
}
