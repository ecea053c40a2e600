package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.RawPoint;
import io.tsflow.schema.StructuredValue;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PointRunSerializerTest {

    private static Observation observation(String type, Object value, String derivedBy) {
        return new Observation(
                "power{site=\"gent\",phase=\"L1\"}",
                "power",
                Map.of("site", "gent", "phase", "L1", "note", "x".repeat(70_000)),
                type,
                1_764_000_000_123_456L,
                value,
                derivedBy == null ? Origin.MEASURED : Origin.DERIVED,
                derivedBy);
    }

    static List<Observation> everyKindOfPoint() {
        return List.of(
                observation("tdouble", -0.0, null),
                observation("tdouble", Double.NaN, "power-sum"),
                observation("tlong", Long.MIN_VALUE, null),
                observation("tbool", true, null),
                observation("ttext", "ünïcode ✓", null),
                observation("tbytes", ByteBuffer.wrap(new byte[] {0, -1, 7}), null),
                observation("pos2d", new Pos2d(50.85, 4.35), null),
                observation(
                        "trade",
                        new StructuredValue(Map.of("price", 1.5, "qty", 3L, "side", "buy")),
                        null));
    }

    private static PointRun roundTrip(PointRun run) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        PointRunSerializer.INSTANCE.serialize(run, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        PointRun read = PointRunSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("bytes left over").isZero();
        return read;
    }

    @ParameterizedTest
    @MethodSource("everyKindOfPoint")
    void aRunOfEveryKindOfPointComesThroughTheShuffleAsItWas(Observation first) throws Exception {
        PointRun run =
                PointRun.of(
                        first,
                        new RawPoint[] {
                            new RawPoint(first.getTimestampMicros() + 1, first.getValue()),
                            new RawPoint(first.getTimestampMicros() - 5, first.getValue())
                        });

        PointRun read = roundTrip(run);

        assertThat(read.size()).isEqualTo(3);
        // What the rollup reads of every point, before anything decodes the metric and tags.
        assertThat(read.seriesKey()).isEqualTo(first.getSeriesKey());
        assertThat(read.type()).isEqualTo(first.getType());
        for (int i = 0; i < run.size(); i++) {
            assertThat(read.micros(i)).isEqualTo(run.micros(i));
            assertThat(read.value(i)).isEqualTo(run.value(i));
        }
        // The first point's bytes arrive as they left: the series' progress keeps them as is.
        assertThat(read.identity()).isEqualTo(run.identity());
        for (int i = 0; i < run.size(); i++) {
            assertThat(read.point(i)).isEqualTo(run.point(i));
        }
        assertThat(read.point(0).getTagset().get("note")).hasSize(70_000);
        if (first.getValue() instanceof ByteBuffer bytes) {
            ByteBuffer got = (ByteBuffer) read.point(2).getValue();
            assertThat(bytesOf(got)).containsExactly(0, -1, 7);
            assertThat(bytesOf(bytes)).containsExactly(0, -1, 7);
        }
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void aCopyIsEqualButSharesNothingMutable() {
        PointRun run =
                PointRun.of(
                        observation("tdouble", 1.5, null), new RawPoint[] {new RawPoint(1L, 2.5)});

        PointRun copy = PointRunSerializer.INSTANCE.copy(run);

        assertThat(copy.point(0)).isEqualTo(run.point(0));
        assertThat(copy.point(1)).isEqualTo(run.point(1));
        copy.more()[0].setValue(9.0);
        copy.first().setTimestampMicros(0L);
        assertThat(run.more()[0].getValue()).isEqualTo(2.5);
        assertThat(run.first().getTimestampMicros()).isEqualTo(1_764_000_000_123_456L);
    }

    @Test
    void aRunThatCameThroughTheShuffleCopiesAsWell() throws Exception {
        PointRun read =
                roundTrip(
                        PointRun.of(
                                observation("tlong", 7L, "rule"),
                                new RawPoint[] {new RawPoint(2L, 8L)}));

        PointRun copy = PointRunSerializer.INSTANCE.copy(read);

        assertThat(copy.point(0)).isEqualTo(read.point(0));
        assertThat(copy.point(1)).isEqualTo(read.point(1));
        assertThat(copy.identity()).isEqualTo(read.identity()).isNotSameAs(read.identity());
        // Sent on again, its first point goes as the bytes it came as.
        PointRun again = roundTrip(copy);
        assertThat(again.identity()).isEqualTo(read.identity());
        assertThat(again.point(1)).isEqualTo(read.point(1));
    }

    @Test
    void flinkSerializesRunsWithThisSerializerNeverWithKryo() throws Exception {
        TypeInformation<PointRun> type = TypeInformation.of(PointRun.class);
        assertThat(type).isInstanceOf(PointRunTypeInfo.class);
        assertThat(type.createSerializer(new org.apache.flink.api.common.ExecutionConfig()))
                .isSameAs(PointRunSerializer.INSTANCE);

        TypeSerializerSnapshot<PointRun> written =
                PointRunSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, written);
        TypeSerializerSnapshot<PointRun> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<PointRun> compatibility =
                PointRunSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(read.restoreSerializer()).isSameAs(PointRunSerializer.INSTANCE);
    }
}
