package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.ValueCodec;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link PointRun} through the shuffle by series field by field: the first point's
 * identity (key, metric, tags, type, origin, rule), then each point's timestamp and value ({@link
 * ValueCodec}). Flink's Avro serializer, which a run of {@code Observation}s would otherwise get,
 * resolves the writer's schema against the reader's for every record, and that cost as much as the
 * rest of the rollup's per-point work. A run only crosses the network and never lives in state (the
 * step before the shuffle sends everything before each barrier); only an unaligned checkpoint holds
 * runs in flight, never a savepoint, so the layout may change between builds.
 */
public final class PointRunSerializer extends TypeSerializerSingleton<PointRun> {

    private static final long serialVersionUID = 1L;

    public static final PointRunSerializer INSTANCE = new PointRunSerializer();

    private static final Origin[] ORIGINS = Origin.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PointRun createInstance() {
        return new PointRun();
    }

    @Override
    public PointRun copy(PointRun from) {
        PointRun copy = new PointRun();
        copy.first = Observation.newBuilder(from.first).build();
        copy.more = new RawPoint[from.more.length];
        for (int i = 0; i < from.more.length; i++) {
            copy.more[i] = RawPoint.newBuilder(from.more[i]).build();
        }
        return copy;
    }

    @Override
    public PointRun copy(PointRun from, PointRun reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PointRun run, DataOutputView out) throws IOException {
        Observation first = run.first;
        StringValue.writeString(first.getSeriesKey(), out);
        StringValue.writeString(first.getMetric(), out);
        out.writeInt(first.getTagset().size());
        for (Map.Entry<String, String> tag : first.getTagset().entrySet()) {
            StringValue.writeString(tag.getKey(), out);
            StringValue.writeString(tag.getValue(), out);
        }
        StringValue.writeString(first.getType(), out);
        out.writeByte(first.getOrigin().ordinal());
        out.writeBoolean(first.getDerivedBy() != null);
        if (first.getDerivedBy() != null) {
            StringValue.writeString(first.getDerivedBy(), out);
        }
        out.writeLong(first.getTimestampMicros());
        ValueCodec.write(first.getValue(), out);
        out.writeInt(run.more.length);
        for (RawPoint point : run.more) {
            out.writeLong(point.getTimestampMicros());
            ValueCodec.write(point.getValue(), out);
        }
    }

    @Override
    public PointRun deserialize(DataInputView in) throws IOException {
        String seriesKey = StringValue.readString(in);
        String metric = StringValue.readString(in);
        int tagCount = in.readInt();
        Map<String, String> tags = new HashMap<>(tagCount * 2);
        for (int i = 0; i < tagCount; i++) {
            tags.put(StringValue.readString(in), StringValue.readString(in));
        }
        String type = StringValue.readString(in);
        Origin origin = ORIGINS[in.readByte()];
        String derivedBy = in.readBoolean() ? StringValue.readString(in) : null;
        long micros = in.readLong();
        Object value = ValueCodec.read(in);
        PointRun run = new PointRun();
        run.first =
                new Observation(seriesKey, metric, tags, type, micros, value, origin, derivedBy);
        int more = in.readInt();
        if (more > 0) {
            run.more = new RawPoint[more];
            for (int i = 0; i < more; i++) {
                run.more[i] = new RawPoint(in.readLong(), ValueCodec.read(in));
            }
        }
        return run;
    }

    @Override
    public PointRun deserialize(PointRun reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<PointRun> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: its snapshot only names it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PointRun> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
