package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.ValueCodec;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link PointRun} through the shuffle by series field by field: the first point whole
 * ({@link ObservationCodec}), then each other point's timestamp and value ({@link ValueCodec}).
 * Flink's Avro serializer, which a run of {@code Observation}s would otherwise get, resolves the
 * writer's schema against the reader's for every record, and that cost as much as the rest of the
 * rollup's per-point work. A run only crosses the network and never lives in state (the step before
 * the shuffle sends everything before each barrier); only an unaligned checkpoint holds runs in
 * flight, never a savepoint, so the layout may change between builds.
 */
public final class PointRunSerializer extends TypeSerializerSingleton<PointRun> {

    private static final long serialVersionUID = 1L;

    public static final PointRunSerializer INSTANCE = new PointRunSerializer();

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
        ObservationCodec.write(run.first, out);
        out.writeInt(run.more.length);
        for (RawPoint point : run.more) {
            out.writeLong(point.getTimestampMicros());
            ValueCodec.write(point.getValue(), out);
        }
    }

    @Override
    public PointRun deserialize(DataInputView in) throws IOException {
        PointRun run = new PointRun();
        run.first = ObservationCodec.read(in);
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
