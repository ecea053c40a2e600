package io.tsflow.ingest;

import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.kafka.UndecodedRecordDeserializer;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.ingest.pipeline.ParseAndNormalize;
import io.tsflow.runtime.JobDefinition;
import io.tsflow.runtime.JobMain;
import io.tsflow.schema.Observation;
import io.tsflow.storage.raw.RawTable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest-normalize job: reads topic {@code raw}, writes validated observations to topic {@code
 * observations} and the Cassandra raw table, and everything it rejects to the dead-letter topic.
 *
 * <p>Operator uids are part of the savepoint contract and must not change: {@code raw-source},
 * {@code parse-normalize}, {@code observations-sink}, {@code raw-table-sink}, {@code
 * dead-letter-sink}.
 */
public final class IngestNormalizeJob {

    public static final String NAME = IngestConfig.JOB_NAME;

    /** What {@link JobMain} runs. */
    public static final JobDefinition<IngestConfig, UndecodedRecord> DEFINITION =
            new JobDefinition<>(
                    NAME,
                    IngestConfig.class,
                    config -> RawTable.applySchema(config.cassandra()),
                    IngestNormalizeJob::rawSource,
                    (env, config, source) ->
                            defineWorkflow(env, config, source, IngestSinks.production(config)));

    private IngestNormalizeJob() {}

    public static void main(String[] args) throws Exception {
        JobMain.run(args, DEFINITION);
    }

    /** Builds the job graph between a source of raw records and the sinks. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            IngestConfig config,
            Source<UndecodedRecord, ?, ?> source,
            IngestSinks sinks) {
        SingleOutputStreamOperator<Observation> normalized =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "raw")
                        .uid("raw-source")
                        .process(new ParseAndNormalize(config.ingest(), config.schemaRegistry()))
                        .uid("parse-normalize")
                        .name("parse, validate, normalize");
        normalized.sinkTo(sinks.observations()).uid("observations-sink").name("observations");
        normalized
                .getSideOutput(ParseAndNormalize.REJECTED)
                .union(
                        sinks.storage()
                                .attach(normalized, "raw-table-sink", "Cassandra raw table")
                                .toArray(DataStream[]::new))
                .sinkTo(sinks.deadLetters())
                .uid("dead-letter-sink")
                .name("dead letters");
    }

    /**
     * Reads topic raw from the group's committed offsets (earliest on a first start), unbounded.
     */
    public static Source<UndecodedRecord, ?, ?> rawSource(IngestConfig config) {
        return KafkaConnectors.undecodedSource(
                config.kafka(), config.topics().raw(), config.consumerGroup());
    }

    /** Reads topic raw up to the offsets that are latest at start, then ends (tests, backfills). */
    public static Source<UndecodedRecord, ?, ?> boundedRawSource(IngestConfig config) {
        return KafkaConnectors.boundedSource(
                config.kafka(),
                config.topics().raw(),
                config.consumerGroup(),
                new UndecodedRecordDeserializer());
    }
}
