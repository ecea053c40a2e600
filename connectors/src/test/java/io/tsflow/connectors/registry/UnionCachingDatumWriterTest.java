package io.tsflow.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.StructuredValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class UnionCachingDatumWriterTest {

    @Test
    void everyUnionBranchEncodesAsAvroItselfDoesInAnyOrder() throws IOException {
        List<Object> values =
                List.of(
                        1.5,
                        42L,
                        true,
                        "text",
                        new org.apache.avro.util.Utf8("utf8 text"),
                        ByteBuffer.wrap(new byte[] {1, 2, 3}),
                        new Pos2d(50.5, 4.25),
                        new StructuredValue(Map.of("price", 10.0, "qty", 3L, "buy", true)),
                        -0.0,
                        7L);
        List<Observation> observations = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < values.size(); i++) {
                observations.add(
                        Observation.newBuilder()
                                .setSeriesKey("m{a=\"b\"}")
                                .setMetric("m")
                                .setTagset(Map.of("a", "b"))
                                .setType("any")
                                .setTimestampMicros(1_000L * i)
                                .setValue(values.get((i + round * 3) % values.size()))
                                .setOrigin(i % 2 == 0 ? Origin.MEASURED : Origin.DERIVED)
                                .setDerivedBy(i % 3 == 0 ? null : "rule-" + i)
                                .build());
            }
        }
        UnionCachingDatumWriter<Observation> cached =
                new UnionCachingDatumWriter<>(Observation.getClassSchema());
        SpecificDatumWriter<Observation> plain =
                new SpecificDatumWriter<>(Observation.getClassSchema());
        for (Observation observation : observations) {
            assertThat(encode(cached, observation))
                    .as("value %s", observation.getValue())
                    .isEqualTo(encode(plain, observation));
        }
    }

    @Test
    void genericRecordsOfOneUnionAreResolvedByTheirOwnSchemaEachTime() throws IOException {
        Schema union =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Holder\",\"fields\":[{\"name\":\"v\","
                                    + "\"type\":[{\"type\":\"record\",\"name\":\"A\",\"fields\":"
                                    + "[{\"name\":\"x\",\"type\":\"int\"}]},"
                                    + "{\"type\":\"record\",\"name\":\"B\",\"fields\":"
                                    + "[{\"name\":\"y\",\"type\":\"string\"}]}]}]}");
        Schema a = union.getField("v").schema().getTypes().get(0);
        Schema b = union.getField("v").schema().getTypes().get(1);
        UnionCachingDatumWriter<Object> cached = new UnionCachingDatumWriter<>(union);
        GenericDatumWriter<Object> plain = new GenericDatumWriter<>(union);
        for (GenericData.Record inner :
                List.of(record(a, "x", 7), record(b, "y", "seven"), record(a, "x", 8))) {
            GenericData.Record holder = record(union, "v", inner);
            byte[] bytes = encode(cached, holder);
            assertThat(bytes).isEqualTo(encode(plain, holder));
            // The branch index is the first byte (zig-zag varint): 0 for A, 2 for B.
            assertThat(bytes[0]).isEqualTo((byte) (inner.getSchema() == a ? 0 : 2));
        }
    }

    @Test
    void aNullIsWrittenToTheNullBranchWhereverItStandsAndRefusedByAUnionWithoutOne()
            throws IOException {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Nulls\",\"fields\":["
                                    + "{\"name\":\"first\",\"type\":[\"null\",\"long\"]},"
                                    + "{\"name\":\"last\",\"type\":[\"long\",\"string\",\"null\"]},"
                                    + "{\"name\":\"never\",\"type\":[\"long\",\"string\"]}]}");
        UnionCachingDatumWriter<Object> cached = new UnionCachingDatumWriter<>(schema);
        GenericDatumWriter<Object> plain = new GenericDatumWriter<>(schema);
        for (Object[] row :
                List.of(
                        new Object[] {null, null, 1L},
                        new Object[] {5L, "x", 2L},
                        new Object[] {null, 6L, "y"},
                        new Object[] {7L, null, 3L})) {
            GenericData.Record nulls = new GenericData.Record(schema);
            nulls.put("first", row[0]);
            nulls.put("last", row[1]);
            nulls.put("never", row[2]);
            assertThat(encode(cached, nulls))
                    .as("%s, %s", row[0], row[1])
                    .isEqualTo(encode(plain, nulls));
        }
        // The null branch's index is written as a zig-zag varint: 0 for the first, 4 for the third.
        GenericData.Record bothNull = new GenericData.Record(schema);
        bothNull.put("never", 9L);
        assertThat(encode(cached, bothNull)).startsWith((byte) 0, (byte) 4);

        GenericData.Record noNullBranch = new GenericData.Record(schema);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> encode(cached, noNullBranch))
                    .isInstanceOf(UnresolvedUnionException.class);
        }
    }

    private static GenericData.Record record(Schema schema, String field, Object value) {
        GenericData.Record record = new GenericData.Record(schema);
        record.put(field, value);
        return record;
    }

    private static <T> byte[] encode(DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
