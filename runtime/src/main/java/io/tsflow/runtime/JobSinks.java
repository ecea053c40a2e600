package io.tsflow.runtime;

import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The Kafka sinks several jobs write alike: exactly once, in the registry's wire format, with
 * transactional ids of the job's prefix and a suffix per sink.
 */
public final class JobSinks {

    private JobSinks() {}

    /** Observations keyed by series key, so that a series stays in one partition, in order. */
    public static Sink<Observation> observations(
            JobConfig config, String topic, String transactionalSuffix) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                topic,
                Observation.class,
                Observation::getSeriesKey,
                config.transactionalIdPrefix() + transactionalSuffix);
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
}
