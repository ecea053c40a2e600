package io.tsflow.connectors.cassandra;

import io.tsflow.common.config.ConfigException;
import java.time.Duration;

/**
 * What Cassandra accepts, checked against the configuration at start: a setting beyond it would be
 * accepted by the job and then fail every write.
 */
public final class CassandraLimits {

    /** Cassandra's largest TTL: 20 years of 365 days (630,720,000 s). */
    public static final Duration MAX_TTL = Duration.ofSeconds(630_720_000L);

    /** The largest partition key Cassandra stores: 64 KiB minus one byte. */
    public static final int MAX_PARTITION_KEY_BYTES = 65_535;

    private CassandraLimits() {}

    /**
     * Requires {@code ttl} to be 0 (forever) or a TTL Cassandra accepts once {@code margin} is
     * added to it (the raw table keeps its series registry rows a shard longer than its points).
     */
    public static void checkTtl(Duration ttl, Duration margin, String key) {
        Duration limit = MAX_TTL.minus(margin);
        ConfigException.require(
                ttl != null && !ttl.isNegative() && ttl.compareTo(limit) <= 0,
                key,
                "must be between 0s (forever) and "
                        + limit.toDays()
                        + "d, Cassandra's largest TTL"
                        + (margin.isZero() ? "" : " less " + margin.toDays() + "d"));
    }
}
