package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;

/** What reads stored series for a query: the finder by tags and the reader of their points. */
record SeriesReaders(SeriesFinder finder, PointReader points) {

    /** Over the keyspace and raw-table sharding that {@code config} names. */
    static SeriesReaders of(QueryConfig config, CqlSession session) {
        String keyspace = config.cassandra().keyspace();
        return new SeriesReaders(
                new SeriesFinder(session, keyspace, config.dailyShards()),
                new PointReader(session, keyspace, config.dailyShards()));
    }
}
