package io.tsflow.benchmarks.peers.streams;

import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Aggregation;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes {@code Aggregation}s in the Confluent wire format, registered under {@code subject}; one
 * encoder per stream thread, since Kafka Streams shares the serializer between them.
 */
final class AggregationSerde implements Serde<Aggregation> {

    private final ThreadLocal<ConfluentAvroEncoder<Aggregation>> encoders;

    AggregationSerde(String registryUrl, String subject) {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(registryUrl));
        this.encoders =
                ThreadLocal.withInitial(
                        () -> {
                            try {
                                return new ConfluentAvroEncoder<>(
                                        registry, subject, Aggregation.getClassSchema());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
    }

    @Override
    public Serializer<Aggregation> serializer() {
        return (topic, bucket) -> {
            try {
                return encoders.get().encode(bucket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<Aggregation> deserializer() {
        return (topic, bytes) -> {
            throw new UnsupportedOperationException("aggregations are only written");
        };
    }
}
