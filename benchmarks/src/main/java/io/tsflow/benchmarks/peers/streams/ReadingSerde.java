package io.tsflow.benchmarks.peers.streams;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads the {@code observations} topic's Confluent wire format (schema by id from the registry)
 * into {@link Reading}s. Kafka Streams shares one deserializer between its stream threads, so each
 * thread decodes with its own decoder.
 */
final class ReadingSerde implements Serde<Reading> {

    private final ThreadLocal<ConfluentAvroDecoder<Observation>> decoders;

    ReadingSerde(String registryUrl) {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(registryUrl));
        this.decoders =
                ThreadLocal.withInitial(
                        () -> new ConfluentAvroDecoder<>(registry, Observation.getClassSchema()));
    }

    @Override
    public Serializer<Reading> serializer() {
        return (topic, reading) -> {
            throw new UnsupportedOperationException("readings are only read");
        };
    }

    @Override
    public Deserializer<Reading> deserializer() {
        return (topic, bytes) -> {
            try {
                Observation observation = decoders.get().decode(bytes);
                double value =
                        observation.getValue() instanceof Number number
                                ? number.doubleValue()
                                : Double.NaN;
                return new Reading(observation.getTimestampMicros() / 1000, value);
            } catch (ConfluentAvroDecoder.DecodeException | IOException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
    }
}
