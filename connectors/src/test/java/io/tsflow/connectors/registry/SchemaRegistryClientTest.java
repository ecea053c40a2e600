package io.tsflow.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.LocalServers;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** Against the real registry (Apicurio's Confluent-compatible API). */
class SchemaRegistryClientTest {

    private final SchemaRegistryClient registry =
            new SchemaRegistryClient(RegistrySettings.of(LocalServers.get().registryUrl()));

    private static String subject() {
        return "test-" + UUID.randomUUID() + "-value";
    }

    private static Observation observation() {
        return Observation.newBuilder()
                .setSeriesKey("gps{car=\"7\"}")
                .setMetric("gps")
                .setTagset(Map.of("car", "7"))
                .setType("pos2d")
                .setTimestampMicros(1_700_000_000_123_456L)
                .setValue(new Pos2d(50.5, 4.25))
                .setOrigin(Origin.MEASURED)
                .build();
    }

    @Test
    void registersIdempotentlyAndLooksUpByIdAndVersion() throws Exception {
        String subject = subject();
        int id = registry.register(subject, Observation.getClassSchema());
        assertThat(registry.register(subject, Observation.getClassSchema())).isEqualTo(id);

        SchemaRegistryClient fresh =
                new SchemaRegistryClient(RegistrySettings.of(LocalServers.get().registryUrl()));
        assertThat(fresh.schemaById(id).getFullName()).isEqualTo("io.tsflow.schema.Observation");
        assertThat(fresh.versions(subject)).containsExactly(1);
        assertThat(fresh.schemaByVersion(subject, "latest").getFullName())
                .isEqualTo("io.tsflow.schema.Observation");
    }

    @Test
    void concurrentFirstRegistrationsAllGetTheSameId() throws Exception {
        for (int round = 0; round < 10; round++) {
            concurrentFirstRegistrations(subject());
        }
    }

    private void concurrentFirstRegistrations(String subject) throws Exception {
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(
                        pool.submit(
                                () ->
                                        new SchemaRegistryClient(
                                                        RegistrySettings.of(
                                                                LocalServers.get().registryUrl()))
                                                .register(subject, Observation.getClassSchema())));
            }
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Integer> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wireFormatRoundTrip() throws Exception {
        ConfluentAvroEncoder<Observation> encoder =
                new ConfluentAvroEncoder<>(registry, subject(), Observation.getClassSchema());
        byte[] bytes = encoder.encode(observation());
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(encoder.schemaId());

        ConfluentAvroDecoder<Observation> decoder =
                new ConfluentAvroDecoder<>(
                        new SchemaRegistryClient(
                                RegistrySettings.of(LocalServers.get().registryUrl())),
                        Observation.getClassSchema());
        assertThat(decoder.decode(bytes)).isEqualTo(observation());
    }

    @Test
    void decoderReadsAnOlderCompatibleWriterSchema() throws Exception {
        // A producer on an older contract: Rejected without the later optional fields.
        Schema older =
                SchemaBuilder.record("Rejected")
                        .namespace("io.tsflow.schema")
                        .fields()
                        .requiredString("reason")
                        .requiredString("message")
                        .requiredString("job")
                        .requiredString("sourceTopic")
                        .requiredInt("sourcePartition")
                        .requiredLong("sourceOffset")
                        .requiredLong("sourceTimestampMillis")
                        .requiredBytes("original")
                        .requiredInt("originalSize")
                        .endRecord();
        org.apache.avro.generic.GenericRecord record =
                new org.apache.avro.generic.GenericData.Record(older);
        record.put("reason", "MALFORMED_JSON");
        record.put("message", "m");
        record.put("job", "j");
        record.put("sourceTopic", "raw");
        record.put("sourcePartition", 1);
        record.put("sourceOffset", 2L);
        record.put("sourceTimestampMillis", 3L);
        record.put("original", java.nio.ByteBuffer.wrap(new byte[] {1}));
        record.put("originalSize", 1);
        int id = registry.register(subject(), older);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(
                new byte[] {
                    0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id
                });
        org.apache.avro.io.BinaryEncoder encoder =
                org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(older)
                .write(record, encoder);
        encoder.flush();

        Rejected decoded =
                new ConfluentAvroDecoder<Rejected>(registry, Rejected.getClassSchema())
                        .decode(out.toByteArray());
        assertThat(decoded.getReason()).isEqualTo("MALFORMED_JSON");
        assertThat(decoded.getFormat()).isNull();
        assertThat(decoded.getOriginalTruncated()).isFalse();
    }

    @Test
    void unknownIdTruncatedBytesAndForeignSchemasAreDataErrors() throws Exception {
        ConfluentAvroDecoder<Observation> decoder =
                new ConfluentAvroDecoder<>(registry, Observation.getClassSchema());
        assertFailure(
                decoder,
                new byte[] {0, 0x7f, 0, 0, 1, 2, 3},
                ConfluentAvroDecoder.Failure.UNKNOWN_SCHEMA_ID);
        assertFailure(
                decoder,
                new byte[] {'{', '}', 0, 0, 0},
                ConfluentAvroDecoder.Failure.NOT_WIRE_FORMAT);

        byte[] valid =
                new ConfluentAvroEncoder<>(registry, subject(), Observation.getClassSchema())
                        .encode(observation());
        assertFailure(
                decoder,
                Arrays.copyOf(valid, valid.length - 3),
                ConfluentAvroDecoder.Failure.MALFORMED);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
        assertFailure(decoder, trailing, ConfluentAvroDecoder.Failure.MALFORMED);

        int foreign = registry.register(subject(), Rejected.getClassSchema());
        byte[] foreignRecord =
                new byte[] {
                    0,
                    (byte) (foreign >>> 24),
                    (byte) (foreign >>> 16),
                    (byte) (foreign >>> 8),
                    (byte) foreign,
                    0
                };
        assertFailure(decoder, foreignRecord, ConfluentAvroDecoder.Failure.INCOMPATIBLE_SCHEMA);
    }

    @Test
    void hostileLengthPrefixIsMalformedNotAnOutOfMemory() throws Exception {
        int id = registry.register(subject(), Observation.getClassSchema());
        // seriesKey claims a length of about 1 GiB (zig-zag varint), followed by nothing.
        byte[] hostile = {
            0,
            (byte) (id >>> 24),
            (byte) (id >>> 16),
            (byte) (id >>> 8),
            (byte) id,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            0x08
        };
        assertFailure(
                new ConfluentAvroDecoder<>(registry, Observation.getClassSchema()),
                hostile,
                ConfluentAvroDecoder.Failure.MALFORMED);
    }

    @Test
    void unreachableRegistryIsNotADataError() {
        SchemaRegistryClient down =
                new SchemaRegistryClient(
                        new RegistrySettings(
                                "http://127.0.0.1:9/apis/ccompat/v7", Duration.ofSeconds(1), 2));
        assertThatThrownBy(() -> down.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("failed 2 times");
    }

    private static void assertFailure(
            ConfluentAvroDecoder<Observation> decoder,
            byte[] bytes,
            ConfluentAvroDecoder.Failure failure) {
        assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOfSatisfying(
                        ConfluentAvroDecoder.DecodeException.class,
                        e -> assertThat(e.failure()).isEqualTo(failure));
    }
}
