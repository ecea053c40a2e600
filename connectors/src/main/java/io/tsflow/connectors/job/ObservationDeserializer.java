package io.tsflow.connectors.job;

import io.tsflow.common.RejectReason;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes records of topic {@code observations} in the source, for the jobs downstream of ingest.
 * One that does not decode becomes a dead letter with its bytes, its position and the name of the
 * job that met it, never dropped; an unreachable registry fails the job (it restarts and retries)
 * instead. {@link ObservationsInput} counts the dead letters.
 */
public class ObservationDeserializer
        implements KafkaRecordDeserializationSchema<DecodedObservation> {

    private static final long serialVersionUID = 1L;
    private static final int MAX_ORIGINAL_BYTES = 256 * 1024;

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
        try {
            out.collect(DecodedObservation.of(decoder.decode(bytes)));
        } catch (ConfluentAvroDecoder.DecodeException e) {
            RejectReason reason =
                    e.failure() == ConfluentAvroDecoder.Failure.UNKNOWN_SCHEMA_ID
                            ? RejectReason.UNKNOWN_SCHEMA_ID
                            : RejectReason.MALFORMED_AVRO;
            boolean cut = bytes.length > MAX_ORIGINAL_BYTES;
            out.collect(
                    DecodedObservation.rejected(
                            new Rejected(
                                    reason.name(),
                                    e.getMessage(),
                                    job,
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    record.timestamp(),
                                    "avro",
                                    null,
                                    null,
                                    null,
                                    ByteBuffer.wrap(
                                            cut ? Arrays.copyOf(bytes, MAX_ORIGINAL_BYTES) : bytes),
                                    bytes.length,
                                    cut)));
        }
    }

    @Override
    public TypeInformation<DecodedObservation> getProducedType() {
        return TypeInformation.of(DecodedObservation.class);
    }
}
