package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.schema.Pos2d;
import io.tsflow.schema.RawPoint;
import io.tsflow.schema.StructuredValue;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SeriesProgressSerializerTest {

    private static final SeriesProgressSerializer SERIALIZER = SeriesProgressSerializer.INSTANCE;

    /**
     * A progress with every field set: two levels with open buckets, a newest bucket and two recent
     * ones.
     */
    private static SeriesProgress full() {
        SeriesProgress progress = SeriesProgress.start(2);
        progress.newestEventMillis = 1_764_000_000_123L;
        progress.lastArrivalMillis = 1_764_000_100_000L;
        progress.wakeAtMillis = 1_764_000_160_000L;
        progress.nextDueMillis = Long.MAX_VALUE;
        progress.levels[0].markChanged(60_000_000L);
        progress.levels[0].markChanged(120_000_000L);
        progress.levels[0].nextRevision(0);
        progress.levels[0].nextRevision(0);
        progress.levels[1].markChanged(0L);
        progress.levels[1].setSlots(0, new long[] {0L, 60_000_000L, 120_000_000L, 300_000_000L});
        progress.levels[0].slots[0] = null; // an index an earlier build kept in state
        progress.newest = NewestBucketPoints.of(120_000_000L, new RawPoint(120_000_001L, -0.0));
        progress.newest.put(new RawPoint(120_000_002L, Double.NaN));
        progress.newest.put(new RawPoint(120_000_003L, Long.MIN_VALUE));
        progress.newest.put(new RawPoint(120_000_004L, "ünïcode ✓"));
        progress.newest.put(new RawPoint(120_000_005L, true));
        progress.newest.put(new RawPoint(120_000_006L, new Pos2d(50.85, 4.35)));
        progress.newest.put(
                new RawPoint(120_000_007L, new StructuredValue(Map.of("qty", 3L, "side", "buy"))));
        progress.recent =
                new NewestBucketPoints[] {
                    NewestBucketPoints.of(0L, new RawPoint(1L, 1.5)),
                    NewestBucketPoints.of(60_000_000L, new RawPoint(60_000_001L, "a"))
                };
        progress.recent[1].put(new RawPoint(60_000_002L, 7L));
        progress.type = "tdouble";
        progress.identity = new byte[] {1, 2, 3, -1};
        return progress;
    }

    private static SeriesProgress roundTrip(SeriesProgress progress) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(progress, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SeriesProgress read = SERIALIZER.deserialize(in);
        assertThat(in.available()).as("bytes left over").isZero();
        return read;
    }

    @Test
    void everyFieldComesBackAsItWas() throws Exception {
        SeriesProgress progress = full();

        SeriesProgress read = roundTrip(progress);

        assertThat(read)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(progress);
        assertThat(read.levels[0].revisions).containsExactly(1, -1);
        assertThat(read.levels[0].changed).containsExactly(false, true);
        assertThat(read.levels[0].slots[0]).isNull();
        assertThat(read.levels[0].slots[1]).isEmpty();
        assertThat(read.levels[1].slots[0])
                .containsExactly(0L, 60_000_000L, 120_000_000L, 300_000_000L);
        assertThat(read.newest.points).hasSize(7);
        assertThat(read.newest.points[0].getValue()).isEqualTo(-0.0);
        assertThat(read.newest.points[3].getValue()).isEqualTo("ünïcode ✓");
        assertThat(read.identity).containsExactly(1, 2, 3, -1);
        assertThat(read.recent).extracting(bucket -> bucket.start).containsExactly(0L, 60_000_000L);
        assertThat(read.recent[1].points).extracting(RawPoint::getValue).containsExactly("a", 7L);
    }

    @Test
    void absentNewestBucketAndTypeStayAbsent() throws Exception {
        SeriesProgress progress = SeriesProgress.start(3);

        SeriesProgress read = roundTrip(progress);

        assertThat(read.newest).isNull();
        assertThat(read.recent).isNull();
        assertThat(read.type).isNull();
        assertThat(read.identity).isNull();
        assertThat(read.levels).hasSize(3);
        assertThat(read.newestEventMillis).isEqualTo(SeriesProgress.NONE);
        assertThat(read.nextDueMillis).isEqualTo(SeriesProgress.NONE);
    }

    /** The heap backend copies an entry a checkpoint still holds before the rollup changes it. */
    @Test
    void aCopyIsEqualAndChangingItLeavesTheOriginalAsItWas() {
        SeriesProgress progress = full();
        SeriesProgress copy = SERIALIZER.copy(progress);
        assertThat(copy)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(progress);

        copy.levels[0].nextRevision(1);
        copy.levels[1].markChanged(3_600_000_000L);
        copy.newest.put(new RawPoint(120_000_000L, 9.0));
        copy.recent[0].put(new RawPoint(2L, 9.0));
        copy.newestEventMillis = 0;

        assertThat(progress.levels[0].revisions).containsExactly(1, -1);
        assertThat(progress.levels[0].changed).containsExactly(false, true);
        assertThat(progress.levels[1].starts).containsExactly(0L);
        assertThat(progress.newest.points).hasSize(7);
        assertThat(progress.recent[0].points).hasSize(1);
        assertThat(progress.newestEventMillis).isEqualTo(1_764_000_000_123L);
    }

    @Test
    void stateOfItsOwnLayoutIsCompatibleAndPojoStateMigrates() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<SeriesProgress> own =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializerSnapshot<SeriesProgress> pojo =
                TypeInformation.of(SeriesProgress.class)
                        .createSerializer(new ExecutionConfig())
                        .snapshotConfiguration();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<SeriesProgress> unrelated =
                (TypeSerializerSnapshot) StringSerializer.INSTANCE.snapshotConfiguration();

        TypeSerializerSnapshot<SeriesProgress> current = SERIALIZER.snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(own).isCompatibleAsIs()).isTrue();
        assertThat(own.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(current.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
        assertThat(current.resolveSchemaCompatibility(unrelated).isIncompatible()).isTrue();
    }

    private static TypeSerializerSnapshot<SeriesProgress> writtenAndReadBack(
            TypeSerializerSnapshot<SeriesProgress> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()),
                SeriesProgressSerializerTest.class.getClassLoader());
    }

    /**
     * State of builds before the recent buckets (layout 1) is read with the layout it was written
     * in, then written again in this one: every field but the recent buckets, which it had none of.
     */
    @Test
    void stateOfTheFirstLayoutIsReadAsItWasWrittenAndMigrates() throws Exception {
        SeriesProgress progress = full();
        progress.recent = null;
        for (OpenBuckets level : progress.levels) {
            level.slots = null; // layout 1 kept the index of lower buckets in state
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        SeriesProgressSerializer.FIRST_LAYOUT.serialize(progress, out);
        TypeSerializerSnapshot<SeriesProgress> first =
                writtenAndReadBack(SeriesProgressSerializer.FIRST_LAYOUT.snapshotConfiguration());

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SeriesProgress read = first.restoreSerializer().deserialize(in);

        assertThat(in.available()).as("bytes left over").isZero();
        assertThat(read)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(progress);
        assertThat(first.restoreSerializer()).isSameAs(SeriesProgressSerializer.FIRST_LAYOUT);
        assertThat(
                        SERIALIZER
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(first)
                                .isCompatibleAfterMigration())
                .isTrue();
    }

    @Test
    void aLayoutThisBuildDoesNotKnowIsRefusedWithTheReason() {
        SeriesProgressSerializer.Snapshot snapshot = new SeriesProgressSerializer.Snapshot();
        assertThatThrownBy(
                        () ->
                                snapshot.readSnapshot(
                                        SeriesProgressSerializer.LAYOUT + 1,
                                        new DataInputDeserializer(new byte[0]),
                                        getClass().getClassLoader()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("restore it with the build that wrote it");
    }
}
