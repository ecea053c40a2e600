package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Consecutive points of one series, as one source subtask read them, sent through the shuffle by
 * series as one record: the series' identity (key, metric, tags, type, origin) is serialized once,
 * and the rollup reads and writes the series' state once for all of them. The first point in full;
 * the others share every field with it but the timestamp and the value. In arrival order,
 * duplicates included: the rollup treats them exactly as points sent one by one. Serialized by
 * {@link PointRunSerializer}.
 *
 * <p>The first point travels as its bytes ({@link ObservationCodec}, the layout a series' progress
 * keeps its identity in), of which the receiving side reads only the key, the type, the timestamp
 * and the value. The metric and tags are decoded ({@link #first()}) only when something needs them:
 * a bucket that fires, rules to match, a point refused. Decoding them for every point had cost the
 * rollup a sixth of its time and most of what it allocated.
 */
@TypeInfo(PointRunTypeInfo.Factory.class)
public final class PointRun {

    private static final RawPoint[] NO_POINTS = new RawPoint[0];

    private final String seriesKey;
    private final String type;
    private final long firstMicros;
    private final Object firstValue;

    /** The first point whole; null until decoded from {@link #identity}. */
    private Observation first;

    /**
     * The first point in {@link ObservationCodec}'s layout; null until encoded from {@link #first}.
     */
    private byte[] identity;

    /** The points after the first, in arrival order. */
    private final RawPoint[] more;

    private PointRun(
            String seriesKey,
            String type,
            long firstMicros,
            Object firstValue,
            Observation first,
            byte[] identity,
            RawPoint[] more) {
        this.seriesKey = seriesKey;
        this.type = type;
        this.firstMicros = firstMicros;
        this.firstValue = firstValue;
        this.first = first;
        this.identity = identity;
        this.more = more;
    }

    /** A run of one point. */
    public static PointRun of(Observation point) {
        return of(point, NO_POINTS);
    }

    /** A run of {@code first} and the {@code more} points after it, of the same identity. */
    static PointRun of(Observation first, RawPoint[] more) {
        return new PointRun(
                first.getSeriesKey(),
                first.getType(),
                first.getTimestampMicros(),
                first.getValue(),
                first,
                null,
                more);
    }

    /**
     * A run whose first point is {@code identity} ({@link ObservationCodec}'s layout): its key,
     * type, timestamp and value are read now, the rest when asked for.
     */
    static PointRun ofIdentity(byte[] identity, RawPoint[] more) throws IOException {
        ObservationCodec.Header header =
                ObservationCodec.readHeader(new DataInputDeserializer(identity));
        return new PointRun(
                header.seriesKey(),
                header.type(),
                header.micros(),
                header.value(),
                null,
                identity,
                more.length == 0 ? NO_POINTS : more);
    }

    String seriesKey() {
        return seriesKey;
    }

    /** The type of every point of the run. */
    String type() {
        return type;
    }

    int size() {
        return 1 + more.length;
    }

    long micros(int index) {
        return index == 0 ? firstMicros : more[index - 1].getTimestampMicros();
    }

    Object value(int index) {
        return index == 0 ? firstValue : more[index - 1].getValue();
    }

    /** The points after the first. */
    RawPoint[] more() {
        return more;
    }

    /** The first point whole, decoded on first use. */
    Observation first() {
        if (first == null) {
            try {
                first = ObservationCodec.read(new DataInputDeserializer(identity));
            } catch (IOException e) {
                throw new UncheckedIOException("a run's first point cannot be decoded", e);
            }
        }
        return first;
    }

    /** {@link #identity()} if it is already encoded, else null. */
    byte[] encodedIdentity() {
        return identity;
    }

    /**
     * The first point in {@link ObservationCodec}'s layout, encoded on first use. Not to change.
     */
    byte[] identity() {
        if (identity == null) {
            DataOutputSerializer out = new DataOutputSerializer(128);
            try {
                ObservationCodec.write(first, out);
            } catch (IOException e) {
                throw new UncheckedIOException("a run's first point cannot be encoded", e);
            }
            identity = out.getCopyOfBuffer();
        }
        return identity;
    }

    /** Point {@code index} in arrival order, whole. */
    Observation point(int index) {
        Observation whole = first();
        if (index == 0) {
            return whole;
        }
        RawPoint point = more[index - 1];
        return new Observation(
                whole.getSeriesKey(),
                whole.getMetric(),
                whole.getTagset(),
                whole.getType(),
                point.getTimestampMicros(),
                point.getValue(),
                whole.getOrigin(),
                whole.getDerivedBy());
    }

    /** Whether {@code point} differs from {@code first} only in its timestamp and value. */
    static boolean sameIdentity(Observation first, Observation point) {
        return first.getSeriesKey().equals(point.getSeriesKey())
                && first.getType().equals(point.getType())
                && first.getMetric().equals(point.getMetric())
                && first.getOrigin() == point.getOrigin()
                && Objects.equals(first.getDerivedBy(), point.getDerivedBy())
                && first.getTagset().equals(point.getTagset());
    }
}
