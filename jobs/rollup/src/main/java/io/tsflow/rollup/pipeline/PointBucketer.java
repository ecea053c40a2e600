package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.time.Duration;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The finest level of a rollup: aggregates the points of each bucket, one point per timestamp (a
 * repeated timestamp replaces the earlier value, so gateway retries are never counted twice).
 */
public class PointBucketer extends BucketedAggregator<Observation, RawPoint> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Observation> TOO_LATE = new OutputTag<>("too-late-points") {};

    public PointBucketer(Interval interval, Duration allowedLateness, RollupRules rules) {
        super(
                interval,
                allowedLateness,
                rules,
                TypeInformation.of(Observation.class),
                TypeInformation.of(RawPoint.class));
    }

    @Override
    protected long slotOf(Observation point) {
        return point.getTimestampMicros();
    }

    @Override
    protected SeriesRef seriesOf(Observation point) {
        return SeriesRef.of(point);
    }

    /** Only the timestamp and value: the series' identity is kept once, not per point. */
    @Override
    protected RawPoint stored(Observation point) {
        return new RawPoint(point.getTimestampMicros(), point.getValue());
    }

    @Override
    protected BucketAggregate aggregate(
            SeriesRef series, SeriesPolicy policy, TreeMap<Long, RawPoint> points) {
        TreeMap<Long, Object> values = new TreeMap<>();
        points.forEach((micros, point) -> values.put(micros, point.getValue()));
        return BucketAggregate.ofPoints(series.type(), policy.counterMode(), values);
    }

    @Override
    protected OutputTag<Observation> tooLate() {
        return TOO_LATE;
    }
}
