package io.tsflow.rollup;

import io.tsflow.common.RejectReason;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.rollup.config.LevelSettings;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.rollup.pipeline.LateObservations;
import io.tsflow.rollup.pipeline.RollupPipeline;
import io.tsflow.rollup.storage.RuleRetention;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobArguments;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.runtime.StorageSinks;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.rollup.RollupRowMapper;
import io.tsflow.storage.rollup.RollupTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rollup job: reads {@code observations}, writes every level's buckets (revisions included) to
 * {@code aggregations} and the Cassandra rollup table, points too late for their bucket to {@code
 * late-observations}, and undecodable records to its dead-letter topic.
 *
 * <p>Operator uids: {@code observations-source}, {@code split-dead-letters}, {@code rollup-levels},
 * {@code rollup-publish}, {@code aggregations-sink}, {@code rollup-table-sink}, {@code
 * late-observations-sink}, {@code rollup-dead-letter-sink}.
 */
public final class RollupJob {

    public static final String NAME = "tsflow-rollup";

    private RollupJob() {}

    public static void main(String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(NAME, args);
        RollupConfig config = ConfigLoader.load(arguments.config(), RollupConfig.class);
        if (config.storageEnabled()) {
            applySchema(config.cassandra());
        }
        if (arguments.applySchemaOnly()) {
            return;
        }
        StreamExecutionEnvironment env = JobEnvironment.checkedProduction(config);
        defineWorkflow(env, config, observationsSource(config));
        env.execute(NAME);
    }

    /** The production source: topic observations, from the committed offsets of the group. */
    public static Source<DecodedObservation, ?, ?> observationsSource(RollupConfig config) {
        return ObservationsInput.source(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("observations"),
                config.consumerGroup(),
                "rollup");
    }

    /** The production graph from {@code source}: sinks built from the configuration. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            RollupConfig config,
            Source<DecodedObservation, ?, ?> source) {
        defineWorkflow(
                env,
                config,
                source,
                aggregationsSink(config),
                config.storageEnabled() ? rollupTableSink(config) : null,
                rejectedSink(config, "lateObservations", "-late"),
                rejectedSink(config, "deadLetter", "-dead-letter"));
    }

    /** Builds the job graph between a source of raw records and the sinks (storage may be null). */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            RollupConfig config,
            Source<DecodedObservation, ?, ?> source,
            Sink<Aggregation> aggregations,
            Sink<Aggregation> storage,
            Sink<Rejected> lateObservations,
            Sink<Rejected> deadLetters) {
        // Each series keeps its own time (SeriesRollup): the input needs no watermark.
        ObservationsInput.Input input =
                ObservationsInput.read(env, source, ObservationsInput.Timing.none());
        RollupPipeline.Outputs outputs =
                RollupPipeline.define(
                        input.observations(),
                        config.rollupLevels(),
                        config.rollupRules(),
                        config.seriesTiming(),
                        config.maxSeriesPerSubtask());
        outputs.aggregations().sinkTo(aggregations).uid("aggregations-sink").name("aggregations");
        List<DataStream<Rejected>> refused = new ArrayList<>();
        refused.add(outputs.refused());
        refused.addAll(
                StorageSinks.attach(
                        outputs.aggregations(), storage, "rollup-table-sink", "Cassandra rollups"));
        input.sinkDeadLetters("rollup", deadLetters, refused);
        outputs.tooLate()
                .map(new LateObservations(config.rollupLevels().get(0)))
                .uid("late-observations")
                .name("late observations")
                .sinkTo(lateObservations)
                .uid("late-observations-sink")
                .name("late-observations");
    }

    public static Sink<Aggregation> aggregationsSink(RollupConfig config) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("aggregations"),
                Aggregation.class,
                bucket ->
                        bucket.getSeriesKey()
                                + "|"
                                + bucket.getInterval()
                                + "|"
                                + bucket.getBucketStartMicros(),
                config.transactionalIdPrefix() + "-aggregations");
    }

    public static Sink<Rejected> rejectedSink(RollupConfig config, String topic, String suffix) {
        return ObservationsInput.rejectedSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topic(topic),
                config.transactionalIdPrefix() + suffix);
    }

    public static Sink<Aggregation> rollupTableSink(RollupConfig config) {
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

    public static void applySchema(CassandraSettings cassandra) {
        RollupTable.applySchema(cassandra);
    }
}
