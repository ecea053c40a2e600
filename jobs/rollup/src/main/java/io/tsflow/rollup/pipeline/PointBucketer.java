package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Bucket;
import io.tsflow.rollup.time.BucketAssigner;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The finest level of a rollup, keyed by series: keeps the points of each open bucket (one per
 * timestamp: a repeated timestamp replaces the earlier value, so gateway retries are never counted
 * twice) and emits the bucket's aggregate when the watermark passes its end. A point that arrives
 * after that but within {@code allowedLateness} updates the bucket and emits it again with the next
 * revision. When the watermark passes the end plus the lateness, the bucket's points, revision and
 * timers are dropped; points later than that go to {@link #TOO_LATE}.
 *
 * <p>Timers (event time, milliseconds): at {@code end - 1} the bucket fires (as Flink's windows
 * do), at {@code end - 1 + lateness} it is cleaned up.
 */
public class PointBucketer extends KeyedProcessFunction<String, Observation, Aggregation> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Observation> TOO_LATE = new OutputTag<>("too-late") {};

    private final Interval interval;
    private final long latenessMillis;
    private final RollupRules rules;

    /** Points by timestamp (microseconds), for every open bucket of the key. */
    private transient MapState<Long, Observation> points;

    /** The last revision emitted, by bucket start. */
    private transient MapState<Long, Integer> revisions;

    public PointBucketer(Interval interval, Duration allowedLateness, RollupRules rules) {
        this.interval = interval;
        this.latenessMillis = allowedLateness.toMillis();
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        points =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "points",
                                        Types.LONG,
                                        TypeInformation.of(Observation.class)));
        revisions =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("revisions", Types.LONG, Types.INT));
    }

    private SeriesPolicy policy(Observation observation) {
        return rules.policyFor(observation.getMetric(), observation.getTagset());
    }

    /** The event time (ms) at which the bucket fires: its last millisecond. */
    private static long firingTime(Bucket bucket) {
        return Math.floorDiv(bucket.endMicros(), 1000L) - 1;
    }

    private long cleanupTime(Bucket bucket) {
        return firingTime(bucket) + latenessMillis;
    }

    @Override
    public void processElement(Observation observation, Context context, Collector<Aggregation> out)
            throws Exception {
        SeriesPolicy policy = policy(observation);
        Bucket bucket =
                BucketAssigner.bucketOf(observation.getTimestampMicros(), interval, policy.zone());
        long watermark = context.timerService().currentWatermark();
        if (cleanupTime(bucket) <= watermark) {
            context.output(TOO_LATE, observation);
            return;
        }
        points.put(observation.getTimestampMicros(), observation);
        if (firingTime(bucket) <= watermark) {
            emit(bucket, policy, out);
        } else {
            context.timerService().registerEventTimeTimer(firingTime(bucket));
        }
        context.timerService().registerEventTimeTimer(cleanupTime(bucket));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Aggregation> out)
            throws Exception {
        Observation any = anyPoint();
        if (any == null) {
            return;
        }
        SeriesPolicy policy = policy(any);
        Bucket firing = BucketAssigner.bucketOf(timestamp * 1000, interval, policy.zone());
        if (firingTime(firing) == timestamp
                && !revisions.contains(firing.startMicros())
                && !pointsIn(firing).isEmpty()) {
            emit(firing, policy, out);
        }
        Bucket expired =
                BucketAssigner.bucketOf(
                        (timestamp - latenessMillis) * 1000, interval, policy.zone());
        if (cleanupTime(expired) == timestamp) {
            for (Long micros : pointsIn(expired).keySet()) {
                points.remove(micros);
            }
            revisions.remove(expired.startMicros());
        }
    }

    private Observation anyPoint() throws Exception {
        for (Observation point : points.values()) {
            return point;
        }
        return null;
    }

    private TreeMap<Long, Observation> pointsIn(Bucket bucket) throws Exception {
        TreeMap<Long, Observation> inBucket = new TreeMap<>();
        for (Map.Entry<Long, Observation> point : points.entries()) {
            if (bucket.contains(point.getKey())) {
                inBucket.put(point.getKey(), point.getValue());
            }
        }
        return inBucket;
    }

    private void emit(Bucket bucket, SeriesPolicy policy, Collector<Aggregation> out)
            throws Exception {
        TreeMap<Long, Observation> inBucket = pointsIn(bucket);
        TreeMap<Long, Object> values = new TreeMap<>();
        inBucket.forEach((micros, point) -> values.put(micros, point.getValue()));
        Integer previous = revisions.get(bucket.startMicros());
        int revision = previous == null ? 0 : previous + 1;
        revisions.put(bucket.startMicros(), revision);
        Observation latest = inBucket.lastEntry().getValue();
        out.collect(
                AggregationRecords.toRecord(
                        latest,
                        interval,
                        bucket,
                        policy,
                        revision,
                        BucketAggregate.ofPoints(latest.getType(), policy.counterMode(), values)));
    }
}
