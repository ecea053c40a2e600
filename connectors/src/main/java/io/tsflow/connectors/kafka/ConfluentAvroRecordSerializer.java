package io.tsflow.connectors.kafka;

import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes specific Avro records to one topic in the Confluent wire format. The schema is registered
 * under {@code <topic>-value} (TopicNameStrategy) when the sink opens; the record key is the UTF-8
 * string from {@code key}, so Kafka's default partitioner keeps every record of one key in one
 * partition, in order.
 */
public class ConfluentAvroRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> recordClass;
    private final RegistrySettings registry;
    private final SerializableFunction<T, String> key;
    private transient ConfluentAvroEncoder<T> encoder;

    public ConfluentAvroRecordSerializer(
            String topic,
            Class<T> recordClass,
            RegistrySettings registry,
            SerializableFunction<T, String> key) {
        this.topic = topic;
        this.recordClass = recordClass;
        this.registry = registry;
        this.key = key;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        encoder =
                new ConfluentAvroEncoder<>(
                        new SchemaRegistryClient(registry),
                        topic + "-value",
                        SpecificData.get().getSchema(recordClass));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        try {
            String recordKey = key.apply(element);
            // The Kafka timestamp is the time of writing, not the element's time: topics delete by
            // record timestamp, and a backfill of year-old readings would otherwise be deleted by
            // retention right after it is written. Event time travels in the payload.
            return new ProducerRecord<>(
                    topic,
                    null,
                    null,
                    recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8),
                    encoder.encode(element));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + recordClass.getSimpleName(), e);
        }
    }
}
