package io.tsflow.rollup.aggregate;

import io.tsflow.schema.Pos2d;
import java.util.Map;
import java.util.SortedMap;

/**
 * The aggregate of one bucket of one series: count, first and last for every type, plus numeric
 * statistics for tdouble and tlong, the count of true for tbool, and bounding box and centroid for
 * pos2d. A level's buckets are built from the level below by merging its buckets in time order,
 * never from raw points again; the lowest level is built from the bucket's points, one per
 * timestamp (a repeated timestamp keeps its latest value).
 */
public final class BucketAggregate {

    private final CounterMode counter;
    private final FirstLast firstLast;
    private final NumericStats numeric;
    private final BooleanStats booleans;
    private final PositionStats positions;

    private BucketAggregate(String type, CounterMode counter) {
        this(
                counter,
                new FirstLast(),
                type.equals("tdouble") || type.equals("tlong") ? new NumericStats() : null,
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
        return new BucketAggregate(type, counter);
    }

    /**
     * The aggregate of {@code points} (timestamp in microseconds to value), which are in time
     * order.
     */
    public static BucketAggregate ofPoints(
            String type, CounterMode counter, SortedMap<Long, Object> points) {
        BucketAggregate aggregate = new BucketAggregate(type, counter);
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
