package io.tsflow.rollup;

import io.tsflow.common.RejectReason;
import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.rollup.config.LevelSettings;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.rollup.storage.RuleRetention;
import io.tsflow.runtime.JobSinks;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.rollup.RollupRowMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the rollup job's outputs go: every bucket and revision to {@code aggregations} and the
 * rollup table, points too late for their bucket to {@code late-observations}, dead letters to
 * their topic.
 */
public record RollupSinks(
        Sink<Aggregation> aggregations,
        SinkApplier<Aggregation> storage,
        Sink<Rejected> lateObservations,
        Sink<Rejected> deadLetters) {

    /** These sinks with {@code storage} in place of the configured one (tests, backfills). */
    public RollupSinks withStorage(SinkApplier<Aggregation> storage) {
        return new RollupSinks(aggregations, storage, lateObservations, deadLetters);
    }

    /** The sinks the configuration names: Kafka topics, exactly once, and the rollup table. */
    public static RollupSinks production(RollupConfig config) {
        return new RollupSinks(
                aggregationsSink(config),
                JobSinks.storage(config, () -> rollupTableSink(config)),
                JobSinks.rejected(config, config.topics().lateObservations(), "-late"),
                JobSinks.deadLetters(config));
    }

    public static Sink<Aggregation> aggregationsSink(RollupConfig config) {
        return JobSinks.avro(
                config,
                config.topics().aggregations(),
                Aggregation.class,
                bucket ->
                        bucket.getSeriesKey()
                                + "|"
                                + bucket.getInterval()
                                + "|"
                                + bucket.getBucketStartMicros(),
                "-aggregations");
    }

    public static CassandraSink<Aggregation> rollupTableSink(RollupConfig config) {
        Map<String, Duration> retention = new HashMap<>();
        for (LevelSettings level : config.levels()) {
            retention.put(level.interval(), level.retention());
        }
        return new CassandraSink<>(
                config.cassandra(),
                new RollupRowMapper(
                        config.cassandra().keyspace(),
                        new RuleRetention(retention, config.rollupRules())),
                (bucket, reason) ->
                        ObservationRejects.ofValue(
                                bucket.getSeriesKey(),
                                Math.floorDiv(bucket.getBucketStartMicros(), 1000L),
                                bucket.toString(),
                                "rollup",
                                RejectReason.STORAGE_REFUSED,
                                ObservationRejects.describe(reason),
                                reason));
    }
}
