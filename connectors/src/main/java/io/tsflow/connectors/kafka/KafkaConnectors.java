package io.tsflow.connectors.kafka;

import io.tsflow.connectors.registry.RegistrySettings;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the Kafka sources and sinks every tsflow job uses: sources read committed data only and
 * resume from the group's committed offsets (earliest on a first start); sinks write in
 * transactions committed on checkpoints.
 */
public final class KafkaConnectors {

    private KafkaConnectors() {}

    /** An unbounded source for production. */
    public static <T> KafkaSource<T> source(
            KafkaSettings settings,
            String topic,
            String groupId,
            KafkaRecordDeserializationSchema<T> deserializer) {
        return sourceBuilder(settings, topic, groupId, deserializer).build();
    }

    /**
     * A source that stops at the offsets that are latest when the job starts (tests, backfills).
     */
    public static <T> KafkaSource<T> boundedSource(
            KafkaSettings settings,
            String topic,
            String groupId,
            KafkaRecordDeserializationSchema<T> deserializer) {
        return sourceBuilder(settings, topic, groupId, deserializer)
                .setBounded(OffsetsInitializer.latest())
                .build();
    }

    private static <T> KafkaSourceBuilder<T> sourceBuilder(
            KafkaSettings settings,
            String topic,
            String groupId,
            KafkaRecordDeserializationSchema<T> deserializer) {
        Properties properties = KafkaClientProperties.forTasks(settings);
        properties.setProperty("isolation.level", "read_committed");
        properties.setProperty("commit.offsets.on.checkpoint", "true");
        return KafkaSource.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setProperties(properties)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer);
    }

    /** An unbounded source of a topic's records as they are (value, key, position). */
    public static KafkaSource<UndecodedRecord> undecodedSource(
            KafkaSettings settings, String topic, String groupId) {
        return source(settings, topic, groupId, new UndecodedRecordDeserializer());
    }

    /**
     * An exactly-once sink of Avro records in the Confluent wire format, the schema registered
     * under {@code <topic>-value}, each record keyed by {@code key}.
     */
    public static <T extends SpecificRecord> KafkaSink<T> exactlyOnceAvroSink(
            KafkaSettings settings,
            RegistrySettings registry,
            String topic,
            Class<T> recordClass,
            SerializableFunction<T, String> key,
            String transactionalIdPrefix) {
        return exactlyOnceSink(
                settings,
                new ConfluentAvroRecordSerializer<>(topic, recordClass, registry, key),
                transactionalIdPrefix);
    }

    /**
     * An exactly-once sink. {@code transactionalIdPrefix} must be unique per job and sink and
     * stable across restarts of the same job, so a restarted job aborts its own lingering
     * transactions.
     */
    public static <T> KafkaSink<T> exactlyOnceSink(
            KafkaSettings settings,
            KafkaRecordSerializationSchema<T> serializer,
            String transactionalIdPrefix) {
        Properties properties = KafkaClientProperties.forTasks(settings);
        properties.setProperty(
                "transaction.timeout.ms", Long.toString(settings.transactionTimeout().toMillis()));
        properties.setProperty("enable.idempotence", "true");
        properties.setProperty("acks", "all");
        // Defaults that kafka.properties may override.
        properties.putIfAbsent("compression.type", "lz4");
        properties.putIfAbsent("linger.ms", "20");
        properties.putIfAbsent("batch.size", "262144");
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(properties)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
