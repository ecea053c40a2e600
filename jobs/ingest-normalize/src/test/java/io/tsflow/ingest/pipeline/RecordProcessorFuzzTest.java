package io.tsflow.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.types.ValueTypes;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.BadInputs;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.format.AvroMessageParser;
import io.tsflow.schema.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Valid records of every text format, mutated at random (bytes flipped, inserted, dropped,
 * stretches repeated): whatever comes out, processing never throws and no record vanishes, it
 * becomes observations, dead letters or both. (Avro is left out: a record that starts with the wire
 * format's magic byte asks the registry, which this test has none of.)
 */
class RecordProcessorFuzzTest {

    private static final List<String> SEEDS =
            List.of(
                    "{\"metric\":\"room.temperature\",\"tagset\":{\"site\":\"bru\",\"room\":\"12\"},"
                        + "\"type\":\"tdouble\",\"values\":[[\"2025-11-22T08:00:00\",21.5],"
                        + "[1763798400000,22]]}",
                    "[{\"metric\":\"door.open\",\"tagset\":{\"door\":\"a\"},\"type\":\"tbool\","
                            + "\"values\":[[\"2025-11-22T08:00:00Z\",true]]},{\"metric\":\"car\","
                            + "\"type\":\"pos2d\",\"values\":[[1763798400000,[50.8,4.3]]]}]",
                    "{\"series\":[{\"metric\":\"note\",\"type\":\"ttext\",\"values\":"
                            + "[[1763798400000,\"hello\"]]}]}",
                    "app.http.status.500;host=web1 12 1763798400\nload.avg 0.5 1763798401\n",
                    "cpu,host=web01 usage_idle=97.5,procs=12i,msg=\"ok\" 1763798400000000000\n"
                            + "mem,host=web01 used=1u\n");

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int mutations = 1 + random.nextInt(6);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] =
                            "{}[],:\"\\ =\n0-.eE9"
                                    .getBytes(StandardCharsets.UTF_8)[random.nextInt(17)];
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                case 2 -> {
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                }
                case 3 -> {
                    int length = Math.min(bytes.length - at, 1 + random.nextInt(40));
                    byte[] repeated = Arrays.copyOf(bytes, bytes.length + length);
                    System.arraycopy(bytes, at, repeated, at + length, bytes.length - at);
                    bytes = repeated;
                }
                default -> bytes = Arrays.copyOf(bytes, at);
            }
        }
        if (bytes.length > 0 && bytes[0] == 0) {
            bytes[0] = ' ';
        }
        return bytes;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void noMutatedRecordThrowsOrVanishes(long seed) throws Exception {
        Random random = new Random(seed);
        RecordProcessor processor =
                new RecordProcessor(
                        IngestRules.defaults(),
                        ValueTypes.discover(getClass().getClassLoader()),
                        new AvroMessageParser(
                                new ConfluentAvroDecoder<>(
                                        new SchemaRegistryClient(
                                                RegistrySettings.of("http://127.0.0.1:9")),
                                        RawMessage.getClassSchema())));
        int observations = 0;
        int deadLetters = 0;
        for (int i = 0; i < 4_000; i++) {
            byte[] original =
                    SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8);
            byte[] value = mutate(original, random);
            CollectingOutput out = new CollectingOutput();
            processor.process(
                    new UndecodedRecord("raw", 0, i, BadInputs.RECORD_TIME_MILLIS, null, value),
                    out);
            assertThat(out.observations.size() + out.rejected.size())
                    .as("record %d: %s", i, new String(value, StandardCharsets.UTF_8))
                    .isPositive();
            assertThat(out.reasons()).doesNotContain("PROCESSING_FAILED");
            observations += out.observations.size();
            deadLetters += out.rejected.size();
        }
        // Both outcomes were exercised.
        assertThat(observations).isPositive();
        assertThat(deadLetters).isPositive();
    }
}
