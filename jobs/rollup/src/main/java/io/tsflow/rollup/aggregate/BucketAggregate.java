package io.tsflow.rollup.aggregate;

import io.tsflow.schema.Pos2d;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SortedMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The aggregate of one bucket of one series: count, first and last for every type, plus numeric
 * statistics for tdouble and tlong, the count of true for tbool, and bounding box and centroid for
 * pos2d. A level's buckets are built from the level below by merging its buckets in time order,
 * never from raw points again; the lowest level is built from the bucket's points, one per
 * timestamp (a repeated timestamp keeps its latest value).
 */
public final class BucketAggregate {

    /** The first byte of {@link #toBytes}: which layout follows. */
    private static final byte FORMAT = 1;

    private static final byte COUNT_ONLY = 0;
    private static final byte NUMERIC = 1;
    private static final byte BOOLEANS = 2;
    private static final byte POSITIONS = 3;

    private final CounterMode counter;
    private final FirstLast firstLast;
    private final NumericStats numeric;
    private final BooleanStats booleans;
    private final PositionStats positions;

    private BucketAggregate(String type, CounterMode counter, boolean withSketch) {
        this(
                counter,
                new FirstLast(),
                type.equals("tdouble") || type.equals("tlong")
                        ? (withSketch ? new NumericStats() : NumericStats.withoutSketch())
                        : null,
                type.equals("tbool") ? new BooleanStats() : null,
                type.equals("pos2d") ? new PositionStats() : null);
    }

    /**
     * An aggregate from parts already computed: the level below's bucket, read back from its
     * record.
     */
    public BucketAggregate(
            CounterMode counter,
            FirstLast firstLast,
            NumericStats numeric,
            BooleanStats booleans,
            PositionStats positions) {
        this.counter = counter;
        this.firstLast = firstLast;
        this.numeric = numeric;
        this.booleans = booleans;
        this.positions = positions;
    }

    public static BucketAggregate empty(String type, CounterMode counter) {
        return empty(type, counter, true);
    }

    /**
     * An empty aggregate whose numeric statistics keep a quantile sketch only if {@code
     * withSketch}.
     */
    public static BucketAggregate empty(String type, CounterMode counter, boolean withSketch) {
        return new BucketAggregate(type, counter, withSketch);
    }

    /**
     * The aggregate of {@code points} (timestamp in microseconds to value), which are in time
     * order.
     */
    public static BucketAggregate ofPoints(
            String type, CounterMode counter, SortedMap<Long, Object> points) {
        BucketAggregate aggregate = empty(type, counter);
        for (Map.Entry<Long, Object> point : points.entrySet()) {
            aggregate.add(point.getKey(), point.getValue());
        }
        return aggregate;
    }

    /** Adds the next point in time order. */
    public void add(long micros, Object value) {
        firstLast.add(micros, value);
        if (numeric != null) {
            numeric.add(((Number) value).doubleValue(), counter);
        } else if (booleans != null) {
            booleans.add((Boolean) value);
        } else if (positions != null) {
            Pos2d position = (Pos2d) value;
            positions.add(position.getLatitude(), position.getLongitude());
        }
    }

    /** Folds in the aggregate of the bucket (of the level below) that follows in time. */
    public void mergeAfter(BucketAggregate later) {
        firstLast.mergeAfter(later.firstLast);
        if (numeric != null) {
            numeric.mergeAfter(later.numeric, counter);
        } else if (booleans != null) {
            booleans.mergeAfter(later.booleans);
        } else if (positions != null) {
            positions.mergeAfter(later.positions);
        }
    }

    /**
     * The aggregate as a level above stores it until its own bucket closes: every statistic as it
     * is (nothing derived again on the way back, so a merge from stored buckets equals one from the
     * buckets as they were emitted) and the sketch, without the series' identity or the published
     * quantiles. Read back by {@link #fromBytes}.
     */
    public byte[] toBytes() {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeByte(FORMAT);
            out.writeDouble(counter.wrapAt());
            firstLast.writeTo(out);
            if (numeric != null) {
                out.writeByte(NUMERIC);
                numeric.writeTo(out);
            } else if (booleans != null) {
                out.writeByte(BOOLEANS);
                booleans.writeTo(out);
            } else if (positions != null) {
                out.writeByte(POSITIONS);
                positions.writeTo(out);
            } else {
                out.writeByte(COUNT_ONLY);
            }
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a bucket's aggregate", e);
        }
    }

    /** Reads an aggregate written by {@link #toBytes}. */
    public static BucketAggregate fromBytes(byte[] bytes) {
        try {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown stored aggregate format " + format);
            }
            CounterMode counter = new CounterMode(in.readDouble());
            FirstLast firstLast = FirstLast.readFrom(in);
            byte kind = in.readByte();
            return switch (kind) {
                case NUMERIC ->
                        new BucketAggregate(
                                counter, firstLast, NumericStats.readFrom(in), null, null);
                case BOOLEANS ->
                        new BucketAggregate(
                                counter, firstLast, null, BooleanStats.readFrom(in), null);
                case POSITIONS ->
                        new BucketAggregate(
                                counter, firstLast, null, null, PositionStats.readFrom(in));
                case COUNT_ONLY -> new BucketAggregate(counter, firstLast, null, null, null);
                default -> throw new IOException("unknown stored aggregate kind " + kind);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("not a stored bucket aggregate", e);
        }
    }

    public FirstLast firstLast() {
        return firstLast;
    }

    /** Null unless the type is tdouble or tlong. */
    public NumericStats numeric() {
        return numeric;
    }

    /** Null unless the type is tbool. */
    public BooleanStats booleans() {
        return booleans;
    }

    /** Null unless the type is pos2d. */
    public PositionStats positions() {
        return positions;
    }
}
