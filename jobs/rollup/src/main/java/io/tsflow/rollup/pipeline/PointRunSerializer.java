package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.ValueCodec;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link PointRun} through the shuffle by series field by field: the first point whole as
 * its {@link ObservationCodec} bytes, length first, so that the receiving side can keep them as the
 * series' identity without decoding the metric and tags; then each other point's timestamp and
 * value ({@link ValueCodec}). Flink's Avro serializer, which a run of {@code Observation}s would
 * otherwise get, resolves the writer's schema against the reader's for every record, and that cost
 * as much as the rest of the rollup's per-point work. A run only crosses the network and never
 * lives in state (the step before the shuffle sends everything before each barrier); only an
 * unaligned checkpoint holds runs in flight, never a savepoint, so the layout may change between
 * builds.
 */
public final class PointRunSerializer extends TypeSerializerSingleton<PointRun> {

    private static final long serialVersionUID = 1L;

    public static final PointRunSerializer INSTANCE = new PointRunSerializer();

    /** What {@link #createInstance} holds: Flink asks for an instance to reuse, never reads it. */
    private static final Observation EMPTY =
            new Observation("", "", Map.of(), "", 0L, null, Origin.MEASURED, null);

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PointRun createInstance() {
        return PointRun.of(EMPTY);
    }

    /** Deep: a copy shares no mutable object with its original. */
    @Override
    public PointRun copy(PointRun from) {
        RawPoint[] more = new RawPoint[from.more().length];
        for (int i = 0; i < more.length; i++) {
            more[i] = RawPoint.newBuilder(from.more()[i]).build();
        }
        try {
            return PointRun.ofIdentity(from.identity().clone(), more);
        } catch (IOException e) {
            throw new UncheckedIOException("a run's first point cannot be copied", e);
        }
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
        byte[] identity = run.encodedIdentity();
        if (identity == null && out instanceof DataOutputSerializer buffer) {
            // The network's buffer, where a run is written before the shuffle: the first point goes
            // straight in and its length is filled in after, instead of through a buffer of its
            // own.
            int lengthAt = buffer.length();
            buffer.writeInt(0);
            ObservationCodec.write(run.first(), buffer);
            int end = buffer.length();
            buffer.setPositionUnsafe(lengthAt);
            buffer.writeInt(end - lengthAt - Integer.BYTES);
            buffer.setPositionUnsafe(end);
        } else {
            identity = run.identity();
            out.writeInt(identity.length);
            out.write(identity);
        }
        out.writeInt(run.more().length);
        for (RawPoint point : run.more()) {
            out.writeLong(point.getTimestampMicros());
            ValueCodec.write(point.getValue(), out);
        }
    }

    @Override
    public PointRun deserialize(DataInputView in) throws IOException {
        byte[] identity = new byte[in.readInt()];
        in.readFully(identity);
        RawPoint[] more = new RawPoint[in.readInt()];
        for (int i = 0; i < more.length; i++) {
            more[i] = new RawPoint(in.readLong(), ValueCodec.read(in));
        }
        return PointRun.ofIdentity(identity, more);
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
