package io.tsflow.query;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.storage.raw.StorageSettings;
import java.util.List;

/**
 * The query service's YAML: the Cassandra section and raw-table sharding as the jobs have them, the
 * rollup intervals the rollup job writes, where to listen, and the limits per query.
 */
public record QueryConfig(
        CassandraSettings cassandra,
        StorageSettings storage,
        List<String> rollupIntervals,
        String host,
        Integer port,
        Integer maxSeries,
        Integer maxDataPoints,
        String alertmanagerUrl,
        String tlsKeystore)
        implements Validatable {

    public QueryConfig {
        storage = storage == null ? StorageSettings.defaults() : storage;
        rollupIntervals = rollupIntervals == null ? List.of("1m", "1h", "1d") : rollupIntervals;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 18086 : port;
        maxSeries = maxSeries == null ? 1_000 : maxSeries;
        maxDataPoints = maxDataPoints == null ? 100_000 : maxDataPoints;
    }

    @Override
    public void validate(String path) {
        ConfigException.require(cassandra != null, Keys.join(path, "cassandra"), "required");
        cassandra.validate(Keys.join(path, "cassandra"));
        storage.validate(Keys.join(path, "storage"));
        ConfigException.require(port >= 0 && port <= 65_535, Keys.join(path, "port"), "0 to 65535");
        ConfigException.require(maxSeries >= 1, Keys.join(path, "maxSeries"), "at least 1");
        ConfigException.require(maxDataPoints >= 1, Keys.join(path, "maxDataPoints"), "at least 1");
        ConfigException.require(
                alertmanagerUrl == null || alertmanagerUrl.matches("https?://.+"),
                Keys.join(path, "alertmanagerUrl"),
                "an http:// or https:// URL");
        for (String interval : rollupIntervals) {
            try {
                Level.rollup(interval);
            } catch (BadQueryException e) {
                throw new ConfigException(
                        Keys.join(path, "rollupIntervals") + ": " + e.getMessage());
            }
        }
    }

    /** Whether the raw table is sharded by day ({@code storage.shard: day}) rather than month. */
    boolean dailyShards() {
        return storage.shard().equals("day");
    }

    QueryLimits limits() {
        return new QueryLimits(maxSeries, maxDataPoints);
    }

    List<Level> levels() {
        return rollupIntervals.stream().map(Level::rollup).toList();
    }
}
