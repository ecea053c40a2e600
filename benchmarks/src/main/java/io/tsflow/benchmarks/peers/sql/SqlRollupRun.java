package io.tsflow.benchmarks.peers.sql;

import io.tsflow.benchmarks.BenchmarkCluster;
import io.tsflow.benchmarks.peers.PeerTopics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The 1m and 1h rollup in Flink SQL, as a strong SQL user would write it: a Kafka table with a
 * watermark per partition (5 s of disorder, as tsflow's), a 1m tumbling window TVF aggregation, and
 * the 1h level cascaded from the 1m rows on their {@code window_time} (renamed: the cascade's TVF
 * adds its own window columns), both written by one exactly-once Kafka sink with the producer
 * settings tsflow's sinks use.
 *
 * <p>Tuned: two-phase (local-global) window aggregation, so each source subtask combines a series'
 * points before the shuffle; mini-batch for the non-window operators; the session time zone UTC
 * (buckets in UTC, as tsflow's without a zone rule); RocksDB's write buffers at 16 MB for this job
 * (below).
 */
public final class SqlRollupRun {

    private SqlRollupRun() {}

    public static StreamExecutionEnvironment define(PeerTopics topics, String backend)
            throws Exception {
        // The minute and the hour windows are two RocksDB instances in each slot, sharing its
        // write buffer manager, and a memtable reserves its memory in arena blocks of an eighth of
        // the write buffer: with Flink's 64 MB, the minute window's idle memtables held the
        // manager full once it had fired, and the hour window flushed a memtable of a dozen
        // entries for every dozen rows (thousands of L0 files, writes stalled; a 1 M run on
        // RocksDB took 200 s to 320 s instead of 60 s to 110 s, in about half the runs). Smaller
        // blocks leave the hour window room.
        Configuration job = new Configuration();
        job.setString("state.backend.rocksdb.writebuffer.size", "16mb");
        StreamExecutionEnvironment env = BenchmarkCluster.environment(backend, job);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.local-time-zone", "UTC");
        tables.getConfig().set("table.optimizer.agg-phase-strategy", "TWO_PHASE");
        tables.getConfig().set("table.exec.mini-batch.enabled", "true");
        tables.getConfig().set("table.exec.mini-batch.allow-latency", "1 s");
        tables.getConfig().set("table.exec.mini-batch.size", "10000");
        String producer =
                "  'properties.bootstrap.servers' = '%s',\n".formatted(topics.bootstrap())
                        + "  'properties.compression.type' = 'lz4',\n"
                        + "  'properties.linger.ms' = '20',\n"
                        + "  'properties.batch.size' = '262144',\n"
                        + "  'properties.transaction.timeout.ms' = '900000',\n";
        tables.executeSql(
                """
                CREATE TABLE observations (
                  series_key STRING,
                  ts_micros BIGINT,
                  v DOUBLE,
                  ts AS TO_TIMESTAMP_LTZ(ts_micros / 1000, 3),
                  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
                ) WITH (
                  'connector' = 'kafka',
                  'topic' = '%s',
                  'properties.bootstrap.servers' = '%s',
                  'properties.group.id' = '%s',
                  'properties.isolation.level' = 'read_committed',
                  'scan.startup.mode' = 'earliest-offset',
                  'scan.bounded.mode' = 'latest-offset',
                  'format' = 'tsflow-observation',
                  'tsflow-observation.registry-url' = '%s'
                )
                """
                        .formatted(
                                topics.observations(),
                                topics.bootstrap(),
                                topics.output(),
                                topics.registryUrl()));
        tables.executeSql(
                """
                CREATE TABLE aggregations (
                  series_key STRING,
                  level STRING,
                  bucket_start TIMESTAMP(3),
                  bucket_end TIMESTAMP(3),
                  cnt BIGINT,
                  total DOUBLE,
                  lo DOUBLE,
                  hi DOUBLE
                ) WITH (
                  'connector' = 'kafka',
                  'topic' = '%s',
                %s  'sink.delivery-guarantee' = 'exactly-once',
                  'sink.transactional-id-prefix' = '%s',
                  'key.format' = 'raw',
                  'key.fields' = 'series_key',
                  'value.fields-include' = 'ALL',
                  'value.format' = 'tsflow-aggregation',
                  'value.tsflow-aggregation.registry-url' = '%s',
                  'value.tsflow-aggregation.subject' = '%s-value'
                )
                """
                        .formatted(
                                topics.output(),
                                producer,
                                topics.output(),
                                topics.registryUrl(),
                                topics.output()));
        tables.executeSql(
                """
CREATE TEMPORARY VIEW minutes AS
SELECT series_key, window_start AS bucket_start, window_end AS bucket_end,
       window_time AS rowtime, COUNT(*) AS cnt, SUM(v) AS total, MIN(v) AS lo, MAX(v) AS hi
FROM TABLE(TUMBLE(TABLE observations, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY series_key, window_start, window_end, window_time
""");
        tables.executeSql(
                """
                CREATE TEMPORARY VIEW hours AS
                SELECT series_key, window_start, window_end,
                       SUM(cnt) AS cnt, SUM(total) AS total, MIN(lo) AS lo, MAX(hi) AS hi
                FROM TABLE(TUMBLE(TABLE minutes, DESCRIPTOR(rowtime), INTERVAL '1' HOUR))
                GROUP BY series_key, window_start, window_end
                """);
        StreamStatementSet statements = tables.createStatementSet();
        statements.addInsertSql(
                """
                INSERT INTO aggregations
                SELECT series_key, '1m', bucket_start, bucket_end, cnt, total, lo, hi FROM minutes
                UNION ALL
                SELECT series_key, '1h', window_start, window_end, cnt, total, lo, hi FROM hours
                """);
        statements.attachAsDataStream();
        return env;
    }
}
