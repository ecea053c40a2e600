package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.ValueCodec;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a series' {@link SeriesProgress} field by field: the four clocks, each level's open
 * buckets (start, revision, changed), the newest bucket's points (timestamp and value by {@link
 * ValueCodec}), the type and the identity's bytes as they are. The progress is read and written
 * with every run of points, and Flink's POJO serializer spent a third of the rollup's time on it at
 * a million series on RocksDB: field access by reflection, and the newest bucket's points through
 * Avro's resolving reader.
 *
 * <p>Its snapshot ({@link Snapshot}) accepts state written by the POJO serializer of earlier builds
 * as compatible after migration: Flink reads such state with the POJO serializer it was written
 * with and writes it again with this one.
 */
public final class SeriesProgressSerializer extends TypeSerializerSingleton<SeriesProgress> {

    private static final long serialVersionUID = 1L;

    public static final SeriesProgressSerializer INSTANCE = new SeriesProgressSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SeriesProgress createInstance() {
        return new SeriesProgress();
    }

    /**
     * A copy that shares no array with {@code from} but the identity's bytes. Those and the points
     * are shared: the rollup replaces them, never changes one.
     */
    @Override
    public SeriesProgress copy(SeriesProgress from) {
        SeriesProgress copy = new SeriesProgress();
        copy.newestEventMillis = from.newestEventMillis;
        copy.lastArrivalMillis = from.lastArrivalMillis;
        copy.wakeAtMillis = from.wakeAtMillis;
        copy.nextDueMillis = from.nextDueMillis;
        if (from.levels != null) {
            copy.levels = new OpenBuckets[from.levels.length];
            for (int i = 0; i < from.levels.length; i++) {
                OpenBuckets level = from.levels[i];
                OpenBuckets levelCopy = new OpenBuckets();
                levelCopy.starts = level.starts.clone();
                levelCopy.revisions = level.revisions.clone();
                levelCopy.changed = level.changed.clone();
                copy.levels[i] = levelCopy;
            }
        }
        if (from.newest != null) {
            copy.newest = new NewestBucketPoints();
            copy.newest.start = from.newest.start;
            copy.newest.points = from.newest.points.clone();
        }
        copy.type = from.type;
        copy.identity = from.identity;
        return copy;
    }

    @Override
    public SeriesProgress copy(SeriesProgress from, SeriesProgress reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesProgress progress, DataOutputView out) throws IOException {
        out.writeLong(progress.newestEventMillis);
        out.writeLong(progress.lastArrivalMillis);
        out.writeLong(progress.wakeAtMillis);
        out.writeLong(progress.nextDueMillis);
        OpenBuckets[] levels = progress.levels;
        out.writeInt(levels == null ? -1 : levels.length);
        if (levels != null) {
            for (OpenBuckets level : levels) {
                out.writeInt(level.size());
                for (int j = 0; j < level.size(); j++) {
                    out.writeLong(level.starts[j]);
                    out.writeInt(level.revisions[j]);
                    out.writeBoolean(level.changed[j]);
                }
            }
        }
        NewestBucketPoints newest = progress.newest;
        out.writeInt(newest == null ? -1 : newest.points.length);
        if (newest != null) {
            out.writeLong(newest.start);
            for (RawPoint point : newest.points) {
                out.writeLong(point.getTimestampMicros());
                ValueCodec.write(point.getValue(), out);
            }
        }
        out.writeBoolean(progress.type != null);
        if (progress.type != null) {
            TextCodec.write(progress.type, out);
        }
        out.writeInt(progress.identity == null ? -1 : progress.identity.length);
        if (progress.identity != null) {
            out.write(progress.identity);
        }
    }

    @Override
    public SeriesProgress deserialize(DataInputView in) throws IOException {
        SeriesProgress progress = new SeriesProgress();
        progress.newestEventMillis = in.readLong();
        progress.lastArrivalMillis = in.readLong();
        progress.wakeAtMillis = in.readLong();
        progress.nextDueMillis = in.readLong();
        int levelCount = in.readInt();
        if (levelCount >= 0) {
            progress.levels = new OpenBuckets[levelCount];
            for (int i = 0; i < levelCount; i++) {
                OpenBuckets level = new OpenBuckets();
                int size = in.readInt();
                level.starts = new long[size];
                level.revisions = new int[size];
                level.changed = new boolean[size];
                for (int j = 0; j < size; j++) {
                    level.starts[j] = in.readLong();
                    level.revisions[j] = in.readInt();
                    level.changed[j] = in.readBoolean();
                }
                progress.levels[i] = level;
            }
        }
        int pointCount = in.readInt();
        if (pointCount >= 0) {
            NewestBucketPoints newest = new NewestBucketPoints();
            newest.start = in.readLong();
            newest.points = new RawPoint[pointCount];
            for (int i = 0; i < pointCount; i++) {
                newest.points[i] = new RawPoint(in.readLong(), ValueCodec.read(in));
            }
            progress.newest = newest;
        }
        if (in.readBoolean()) {
            progress.type = TextCodec.read(in);
        }
        int identityLength = in.readInt();
        if (identityLength >= 0) {
            progress.identity = new byte[identityLength];
            in.readFully(progress.identity);
        }
        return progress;
    }

    @Override
    public SeriesProgress deserialize(SeriesProgress reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SeriesProgress> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Names the layout by its version; the serializer has no other configuration. State written by
     * Flink's POJO serializer (builds before this one) migrates.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<SeriesProgress> {

        private static final int LAYOUT = 1;

        @Override
        public int getCurrentVersion() {
            return LAYOUT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != LAYOUT) {
                throw new IOException(
                        "series progress written in layout "
                                + readVersion
                                + ", which this build does not know (it knows "
                                + LAYOUT
                                + "): restore it with the build that wrote it");
            }
        }

        @Override
        public TypeSerializer<SeriesProgress> restoreSerializer() {
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<SeriesProgress> resolveSchemaCompatibility(
                TypeSerializerSnapshot<SeriesProgress> written) {
            if (written instanceof Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            if (written instanceof PojoSerializerSnapshot) {
                // Flink reads the state with the POJO serializer it was written with, then
                // writes it again with this one.
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
