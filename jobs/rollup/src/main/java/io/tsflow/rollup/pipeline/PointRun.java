package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Consecutive points of one series, as one source subtask read them, sent through the shuffle by
 * series as one record: the series' identity (key, metric, tags, type, origin) is serialized and
 * decoded once, and the rollup reads and writes the series' state once for all of them. The first
 * point in full; the others share every field with it but the timestamp and the value. In arrival
 * order, duplicates included: the rollup treats them exactly as points sent one by one. Serialized
 * by {@link PointRunSerializer}.
 */
@TypeInfo(PointRunTypeInfo.Factory.class)
public class PointRun {

    private static final RawPoint[] NO_POINTS = new RawPoint[0];

    /** The first point. */
    public Observation first;

    /** The points after the first, in arrival order. */
    public RawPoint[] more = NO_POINTS;

    public PointRun() {}

    /** A run of one point. */
    public static PointRun of(Observation point) {
        PointRun run = new PointRun();
        run.first = point;
        return run;
    }

    String seriesKey() {
        return first.getSeriesKey();
    }

    int size() {
        return 1 + more.length;
    }

    /** Point {@code index} in arrival order, whole. */
    Observation point(int index) {
        if (index == 0) {
            return first;
        }
        RawPoint point = more[index - 1];
        return new Observation(
                first.getSeriesKey(),
                first.getMetric(),
                first.getTagset(),
                first.getType(),
                point.getTimestampMicros(),
                point.getValue(),
                first.getOrigin(),
                first.getDerivedBy());
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
