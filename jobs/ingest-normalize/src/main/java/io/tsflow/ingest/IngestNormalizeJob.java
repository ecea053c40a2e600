package io.tsflow.ingest;

import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.WriteOrder;
import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.connectors.kafka.RawRecord;
import io.tsflow.connectors.kafka.RawRecordDeserializer;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.pipeline.ParseAndNormalize;
import io.tsflow.runtime.JobArguments;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.StorageSinks;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.raw.RawTable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest-normalize job: reads topic {@code raw}, writes validated observations to topic {@code
 * observations} and the Cassandra raw table, and everything it rejects to the dead-letter topic.
 *
 * <p>Operator uids are part of the savepoint contract and must not change: {@code raw-source},
 * {@code parse-normalize}, {@code observations-sink}, {@code raw-table-sink}, {@code
 * dead-letter-sink}.
 */
public final class IngestNormalizeJob {

    public static final String NAME = "tsflow-ingest-normalize";
    private static final Logger LOG = LoggerFactory.getLogger(IngestNormalizeJob.class);

    private IngestNormalizeJob() {}

    public static void main(String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(NAME, args);
        IngestConfig config = ConfigLoader.load(arguments.config(), IngestConfig.class);
        LOG.info(
                "Starting {}: {} -> {} (+ dead letters to {}), Cassandra {}",
                NAME,
                config.topics().raw(),
                config.topics().observations(),
                config.topics().deadLetter(),
                config.storage().enabled() ? config.cassandra().keyspace() : "disabled");
        if (config.storage().enabled()) {
            applySchema(config.cassandra());
        }
        if (arguments.applySchemaOnly()) {
            return;
        }
        StreamExecutionEnvironment env = JobEnvironment.checkedProduction(config);
        defineWorkflow(env, config, rawSource(config));
        env.execute(NAME);
    }

    /** The production graph from {@code source}: sinks built from the configuration. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env, IngestConfig config, Source<RawRecord, ?, ?> source) {
        defineWorkflow(
                env,
                source,
                observationsSink(config),
                config.storage().enabled() ? rawTableSink(config) : null,
                deadLetterSink(config),
                config.ingest(),
                config.schemaRegistry());
    }

    /**
     * Builds the job graph between a source of raw records and the three sinks (storage may be
     * null).
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<RawRecord, ?, ?> source,
            Sink<Observation> observations,
            Sink<Observation> storage,
            Sink<Rejected> deadLetters,
            IngestRules rules,
            RegistrySettings registry) {
        SingleOutputStreamOperator<Observation> normalized =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "raw")
                        .uid("raw-source")
                        .process(new ParseAndNormalize(rules, registry))
                        .uid("parse-normalize")
                        .name("parse, validate, normalize");
        normalized.sinkTo(observations).uid("observations-sink").name("observations");
        normalized
                .getSideOutput(ParseAndNormalize.REJECTED)
                .union(
                        StorageSinks.attach(
                                        normalized,
                                        storage,
                                        "raw-table-sink",
                                        "Cassandra raw table")
                                .toArray(DataStream[]::new))
                .sinkTo(deadLetters)
                .uid("dead-letter-sink")
                .name("dead letters");
    }

    /**
     * Reads topic raw from the group's committed offsets (earliest on a first start), unbounded.
     */
    public static Source<RawRecord, ?, ?> rawSource(IngestConfig config) {
        return KafkaConnectors.rawSource(
                config.kafka(), config.topics().raw(), config.consumerGroup());
    }

    /** Reads topic raw up to the offsets that are latest at start, then ends (tests, backfills). */
    public static Source<RawRecord, ?, ?> boundedRawSource(IngestConfig config) {
        return KafkaConnectors.boundedSource(
                config.kafka(),
                config.topics().raw(),
                config.consumerGroup(),
                new RawRecordDeserializer());
    }

    public static Sink<Observation> observationsSink(IngestConfig config) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topics().observations(),
                Observation.class,
                Observation::getSeriesKey,
                config.transactionalIdPrefix() + "-observations");
    }

    public static Sink<Rejected> deadLetterSink(IngestConfig config) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topics().deadLetter(),
                Rejected.class,
                rejected -> rejected.getSourceTopic() + "-" + rejected.getSourcePartition(),
                config.transactionalIdPrefix() + "-dead-letter");
    }

    public static Sink<Observation> rawTableSink(IngestConfig config) {
        return RawTable.sink(
                config.cassandra(),
                config.storage(),
                WriteOrder.RECORD_TIMESTAMP,
                "ingest-normalize");
    }

    /** Creates the keyspace and tables if absent; safe to run at every start. */
    public static void applySchema(CassandraSettings cassandra) {
        RawTable.applySchema(cassandra);
    }
}
