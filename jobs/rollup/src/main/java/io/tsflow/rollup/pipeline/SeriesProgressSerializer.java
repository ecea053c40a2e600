package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.ValueCodec;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a series' {@link SeriesProgress} field by field: the four clocks, each level's open
 * buckets (start, revision, changed, and from layout 2 the slots of the lower buckets stored for
 * each), the newest bucket's points (timestamp and value by {@link ValueCodec}), the type and the
 * identity's bytes as they are, and the points of the recent buckets before the newest (layout 2;
 * layout 1 had none of them). The progress is read and written with every run of points, and
 * Flink's POJO serializer spent a third of the rollup's time on it at a million series on RocksDB:
 * field access by reflection, and the newest bucket's points through Avro's resolving reader.
 *
 * <p>Its snapshot ({@link Snapshot}) accepts state written in layout 1 and by the POJO serializer
 * of earlier builds as compatible after migration: Flink reads such state with the serializer it
 * was written with and writes it again with this one.
 */
public final class SeriesProgressSerializer extends TypeSerializer<SeriesProgress> {

    private static final long serialVersionUID = 1L;

    /** The layout this build writes. */
    static final int LAYOUT = 2;

    public static final SeriesProgressSerializer INSTANCE = new SeriesProgressSerializer(LAYOUT);

    /** Reads (and writes) layout 1, of builds before the recent buckets: to migrate their state. */
    static final SeriesProgressSerializer FIRST_LAYOUT = new SeriesProgressSerializer(1);

    private final int layout;

    private SeriesProgressSerializer(int layout) {
        this.layout = layout;
    }

    /** Stateless: shared between threads. */
    @Override
    public TypeSerializer<SeriesProgress> duplicate() {
        return this;
    }

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
                // Each bucket's slots are replaced, never changed in place: shared.
                levelCopy.slots = level.slots == null ? null : level.slots.clone();
                copy.levels[i] = levelCopy;
            }
        }
        copy.newest = copy(from.newest);
        if (from.recent != null) {
            copy.recent = new NewestBucketPoints[from.recent.length];
            for (int i = 0; i < from.recent.length; i++) {
                copy.recent[i] = copy(from.recent[i]);
            }
        }
        copy.type = from.type;
        copy.identity = from.identity;
        return copy;
    }

    private static NewestBucketPoints copy(NewestBucketPoints from) {
        if (from == null) {
            return null;
        }
        NewestBucketPoints copy = new NewestBucketPoints();
        copy.start = from.start;
        copy.points = from.points.clone();
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
                    if (layout >= 2) {
                        SlotsCodec.write(level.slotsOf(j), out);
                    }
                }
            }
        }
        writeBucket(progress.newest, out);
        out.writeBoolean(progress.type != null);
        if (progress.type != null) {
            TextCodec.write(progress.type, out);
        }
        out.writeInt(progress.identity == null ? -1 : progress.identity.length);
        if (progress.identity != null) {
            out.write(progress.identity);
        }
        if (layout >= 2) {
            NewestBucketPoints[] recent = progress.recent;
            out.writeInt(recent == null ? -1 : recent.length);
            if (recent != null) {
                for (NewestBucketPoints bucket : recent) {
                    writeBucket(bucket, out);
                }
            }
        }
    }

    /** The bucket's point count (-1: none), start and points. */
    private static void writeBucket(NewestBucketPoints bucket, DataOutputView out)
            throws IOException {
        out.writeInt(bucket == null ? -1 : bucket.points.length);
        if (bucket != null) {
            out.writeLong(bucket.start);
            for (RawPoint point : bucket.points) {
                out.writeLong(point.getTimestampMicros());
                ValueCodec.write(point.getValue(), out);
            }
        }
    }

    private static NewestBucketPoints readBucket(DataInputView in) throws IOException {
        int pointCount = in.readInt();
        if (pointCount < 0) {
            return null;
        }
        NewestBucketPoints bucket = new NewestBucketPoints();
        bucket.start = in.readLong();
        bucket.points = new RawPoint[pointCount];
        for (int i = 0; i < pointCount; i++) {
            bucket.points[i] = new RawPoint(in.readLong(), ValueCodec.read(in));
        }
        return bucket;
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
                // Layout 1 kept every bucket's index of lower buckets in state.
                level.slots = layout >= 2 ? new long[size][] : null;
                for (int j = 0; j < size; j++) {
                    level.starts[j] = in.readLong();
                    level.revisions[j] = in.readInt();
                    level.changed[j] = in.readBoolean();
                    if (layout >= 2) {
                        level.slots[j] = SlotsCodec.read(in);
                    }
                }
                progress.levels[i] = level;
            }
        }
        progress.newest = readBucket(in);
        if (in.readBoolean()) {
            progress.type = TextCodec.read(in);
        }
        int identityLength = in.readInt();
        if (identityLength >= 0) {
            progress.identity = new byte[identityLength];
            in.readFully(progress.identity);
        }
        if (layout >= 2) {
            int recentCount = in.readInt();
            if (recentCount >= 0) {
                progress.recent = new NewestBucketPoints[recentCount];
                for (int i = 0; i < recentCount; i++) {
                    progress.recent[i] = readBucket(in);
                }
            }
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
    public boolean equals(Object other) {
        return other instanceof SeriesProgressSerializer that && that.layout == layout;
    }

    @Override
    public int hashCode() {
        return layout;
    }

    @Override
    public TypeSerializerSnapshot<SeriesProgress> snapshotConfiguration() {
        return new Snapshot(layout);
    }

    /**
     * Names the layout by its version; the serializer has no other configuration. State written in
     * an earlier layout, or by Flink's POJO serializer (builds before this serializer), migrates.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<SeriesProgress> {

        private int layout;

        /** For Flink, which then reads the layout with {@link #readSnapshot}. */
        public Snapshot() {
            this(LAYOUT);
        }

        Snapshot(int layout) {
            this.layout = layout;
        }

        @Override
        public int getCurrentVersion() {
            return layout;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion < 1 || readVersion > LAYOUT) {
                throw new IOException(
                        "series progress written in layout "
                                + readVersion
                                + ", which this build does not know (it knows 1 to "
                                + LAYOUT
                                + "): restore it with the build that wrote it");
            }
            layout = readVersion;
        }

        @Override
        public TypeSerializer<SeriesProgress> restoreSerializer() {
            return layout == LAYOUT ? INSTANCE : FIRST_LAYOUT;
        }

        @Override
        public TypeSerializerSchemaCompatibility<SeriesProgress> resolveSchemaCompatibility(
                TypeSerializerSnapshot<SeriesProgress> written) {
            if (written instanceof Snapshot earlier) {
                return earlier.layout == layout
                        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
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
