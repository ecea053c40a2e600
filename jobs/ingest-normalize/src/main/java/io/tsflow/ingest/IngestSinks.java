package io.tsflow.ingest;

import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.connectors.cassandra.WriteOrder;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.runtime.JobSinks;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.raw.RawTable;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the ingest job's outputs go: validated observations to {@code observations} and the raw
 * table, everything rejected (with what the table refused) to the dead-letter topic.
 */
public record IngestSinks(
        Sink<Observation> observations,
        SinkApplier<Observation> storage,
        Sink<Rejected> deadLetters) {

    /** These sinks with {@code storage} in place of the configured one (tests, backfills). */
    public IngestSinks withStorage(SinkApplier<Observation> storage) {
        return new IngestSinks(observations, storage, deadLetters);
    }

    /** The sinks the configuration names: Kafka topics, exactly once, and the raw table. */
    public static IngestSinks production(IngestConfig config) {
        return new IngestSinks(
                observationsSink(config),
                JobSinks.storage(config, () -> rawTableSink(config)),
                deadLetterSink(config));
    }

    /**
     * The raw table, written in record-timestamp order: of two sends of one point the later sent
     * wins, however a catch-up interleaves partitions.
     */
    public static CassandraSink<Observation> rawTableSink(IngestConfig config) {
        return RawTable.sink(
                config.cassandra(),
                config.storage(),
                WriteOrder.RECORD_TIMESTAMP,
                "ingest-normalize");
    }

    public static Sink<Observation> observationsSink(IngestConfig config) {
        return JobSinks.observations(config, config.topics().observations(), "-observations");
    }

    /** Keyed by source partition: a raw record's dead letters stay in its order. */
    public static Sink<Rejected> deadLetterSink(IngestConfig config) {
        return JobSinks.avro(
                config,
                config.topics().deadLetter(),
                Rejected.class,
                rejected -> rejected.getSourceTopic() + "-" + rejected.getSourcePartition(),
                "-dead-letter");
    }
}
