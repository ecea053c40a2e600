package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.ValueCodec;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An {@link Observation} in binary, field by field: key, metric, tags, type, origin, rule,
 * timestamp, and the value by {@link ValueCodec}; strings by {@link TextCodec}. The first point of
 * every {@link PointRun} in the shuffle, and a series' identity in its {@link SeriesProgress}.
 * Flink's Avro serializer resolves the writer's schema against the reader's for every record, which
 * cost the rollup as much as the rest of a point's work.
 */
final class ObservationCodec {

    private static final Origin[] ORIGINS = Origin.values();

    private ObservationCodec() {}

    static void write(Observation point, DataOutputView out) throws IOException {
        TextCodec.write(point.getSeriesKey(), out);
        TextCodec.write(point.getMetric(), out);
        out.writeInt(point.getTagset().size());
        for (Map.Entry<String, String> tag : point.getTagset().entrySet()) {
            TextCodec.write(tag.getKey(), out);
            TextCodec.write(tag.getValue(), out);
        }
        TextCodec.write(point.getType(), out);
        out.writeByte(point.getOrigin().ordinal());
        out.writeBoolean(point.getDerivedBy() != null);
        if (point.getDerivedBy() != null) {
            TextCodec.write(point.getDerivedBy(), out);
        }
        out.writeLong(point.getTimestampMicros());
        ValueCodec.write(point.getValue(), out);
    }

    /** What the rollup reads of every point: the rest of the identity waits until it is needed. */
    record Header(String seriesKey, String type, long micros, Object value) {}

    /** Reads what {@link #write} wrote, skipping the metric, tags, origin and rule. */
    static Header readHeader(DataInputView in) throws IOException {
        String seriesKey = TextCodec.read(in);
        TextCodec.skip(in); // metric
        int tagCount = in.readInt();
        for (int i = 0; i < 2 * tagCount; i++) {
            TextCodec.skip(in);
        }
        String type = TextCodec.read(in);
        in.skipBytesToRead(1); // origin
        if (in.readBoolean()) {
            TextCodec.skip(in); // rule
        }
        long micros = in.readLong();
        return new Header(seriesKey, type, micros, ValueCodec.read(in));
    }

    static Observation read(DataInputView in) throws IOException {
        String seriesKey = TextCodec.read(in);
        String metric = TextCodec.read(in);
        int tagCount = in.readInt();
        Map<String, String> tags = new HashMap<>(tagCount * 2);
        for (int i = 0; i < tagCount; i++) {
            tags.put(TextCodec.read(in), TextCodec.read(in));
        }
        String type = TextCodec.read(in);
        Origin origin = ORIGINS[in.readByte()];
        String derivedBy = in.readBoolean() ? TextCodec.read(in) : null;
        long micros = in.readLong();
        Object value = ValueCodec.read(in);
        return new Observation(seriesKey, metric, tags, type, micros, value, origin, derivedBy);
    }
}
