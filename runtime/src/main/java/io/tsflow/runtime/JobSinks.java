package io.tsflow.runtime;

import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The Kafka sinks several jobs write alike: exactly once, in the registry's wire format, with
 * transactional ids of the job's prefix and a suffix per sink.
 */
public final class JobSinks {

    private JobSinks() {}

    /**
     * Records of {@code type} to {@code topic}, exactly once, each keyed by {@code key} (records of
     * one key stay in one partition, in order).
     */
    public static <T extends SpecificRecord> Sink<T> avro(
            JobConfig config,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            String transactionalSuffix) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                topic,
                type,
                key,
                config.transactionalIdPrefix() + transactionalSuffix);
    }

    /** Observations keyed by series key, so that a series stays in one partition, in order. */
    public static Sink<Observation> observations(
            JobConfig config, String topic, String transactionalSuffix) {
        return avro(
                config, topic, Observation.class, Observation::getSeriesKey, transactionalSuffix);
    }

    /** Rejected records (dead letters, late points). */
    public static Sink<Rejected> rejected(
            JobConfig config, String topic, String transactionalSuffix) {
        return ObservationsInput.rejectedSink(
                config.kafka(),
                config.schemaRegistry(),
                topic,
                config.transactionalIdPrefix() + transactionalSuffix);
    }

    /** The job's dead letters, to its {@code topics.deadLetter}. */
    public static Sink<Rejected> deadLetters(JobConfig config) {
        return rejected(config, config.topics().deadLetter(), "-dead-letter");
    }

    /**
     * The job's Cassandra table where {@code storage.enabled}, else nothing; {@code table} is
     * called only when storage is on, since it needs the {@code cassandra} section.
     */
    public static <T> SinkApplier<T> storage(JobConfig config, Supplier<CassandraSink<T>> table) {
        return config.storageEnabled() ? SinkApplier.table(table.get()) : SinkApplier.none();
    }
}
