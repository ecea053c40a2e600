package io.tsflow.runtime;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes records of topic {@code observations} in the source, for the jobs downstream of ingest.
 * One that does not decode, or decodes into something no job can take ({@link ObservationCheck}),
 * becomes a dead letter with its bytes, its position and the name of the job that met it, never
 * dropped; an unreachable registry fails the job (it restarts and retries) instead. {@link
 * ObservationsInput} counts the dead letters.
 */
public class ObservationDeserializer
        implements KafkaRecordDeserializationSchema<DecodedObservation> {

    private static final long serialVersionUID = 1L;

    private final RegistrySettings registry;
    private final String job;
    private transient ConfluentAvroDecoder<Observation> decoder;

    /** {@code job} names the reading job in each dead letter ({@code rollup}, {@code alerts}). */
    public ObservationDeserializer(RegistrySettings registry, String job) {
        this.registry = registry;
        this.job = job;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder =
                new ConfluentAvroDecoder<>(
                        new SchemaRegistryClient(registry), Observation.getClassSchema());
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<DecodedObservation> out)
            throws IOException {
        byte[] bytes = record.value() == null ? new byte[0] : record.value();
        Observation observation;
        try {
            observation = decoder.decode(bytes);
        } catch (ConfluentAvroDecoder.DecodeException e) {
            out.collect(
                    DecodedObservation.rejected(
                            ObservationRejects.ofRecord(
                                    record, job, e.failure().reason(), e.getMessage(), null)));
            return;
        }
        ObservationCheck.Problem problem = ObservationCheck.check(observation);
        if (problem != null) {
            out.collect(
                    DecodedObservation.rejected(
                            ObservationRejects.ofRecord(
                                    record,
                                    job,
                                    problem.reason(),
                                    problem.message(),
                                    observation.getMetric())));
            return;
        }
        out.collect(DecodedObservation.of(observation));
    }

    @Override
    public TypeInformation<DecodedObservation> getProducedType() {
        return TypeInformation.of(DecodedObservation.class);
    }
}
