package io.tsflow.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class StringClassCachingDatumReaderTest {

    @Test
    void readsEveryStringOfAnObservationAsAvroItselfDoes() throws IOException {
        Schema schema = Observation.getClassSchema();
        SpecificDatumReader<Observation> plain = new SpecificDatumReader<>(schema, schema);
        StringClassCachingDatumReader<Observation> cached =
                new StringClassCachingDatumReader<>(schema, schema);
        for (int i = 0; i < 3; i++) {
            Observation written =
                    Observation.newBuilder()
                            .setSeriesKey("m{a=\"b" + i + "\"}")
                            .setMetric("m")
                            .setTagset(Map.of("a", "b" + i, "é", "ü\n"))
                            .setType(i == 1 ? "ttext" : "tdouble")
                            .setTimestampMicros(1_000L * i)
                            .setValue(i == 1 ? "text " + i : 1.5 * i)
                            .setOrigin(Origin.MEASURED)
                            .setDerivedBy(i == 2 ? "rule" : null)
                            .build();
            byte[] bytes = encode(new SpecificDatumWriter<>(schema), written);
            Observation read = read(cached, bytes);
            assertThat(read).isEqualTo(read(plain, bytes)).isEqualTo(written);
            assertThat(read.getSeriesKey()).isInstanceOf(String.class);
            assertThat(read.getTagset().keySet()).allMatch(String.class::isInstance);
        }
    }

    @Test
    void aStringWithoutTheJavaStringPropertyStaysAnAvroUtf8() throws IOException {
        // No avro.java.string: Avro reads such strings as Utf8, and so must the cache.
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Plain\",\"fields\":["
                                        + "{\"name\":\"name\",\"type\":\"string\"},"
                                        + "{\"name\":\"labels\",\"type\":{\"type\":\"map\","
                                        + "\"values\":\"string\"}}]}");
        GenericData.Record written = new GenericData.Record(schema);
        written.put("name", new Utf8("n"));
        written.put("labels", Map.of(new Utf8("k"), new Utf8("v")));
        byte[] bytes = encode(new GenericDatumWriter<>(schema), written);
        Object plain = read(new SpecificDatumReader<>(schema, schema), bytes);
        Object cached = read(new StringClassCachingDatumReader<>(schema, schema), bytes);
        assertThat(cached).isEqualTo(plain);
        assertThat(((GenericData.Record) cached).get("name")).isInstanceOf(Utf8.class);
    }

    private static <T> byte[] encode(org.apache.avro.io.DatumWriter<T> writer, T datum)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static <T> T read(DatumReader<T> reader, byte[] bytes) throws IOException {
        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
