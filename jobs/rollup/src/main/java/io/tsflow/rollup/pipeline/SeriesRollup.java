package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Bucket;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Every level of one series' rollup, keyed by series key. The finest level aggregates points, one
 * per timestamp (a repeated timestamp replaces the earlier value, so gateway retries are never
 * counted twice); each higher level merges the buckets of the level below as they are emitted,
 * never raw points. All levels live in one task because they share the key: a bucket passes to the
 * next level as an object, never through a shuffle and its serialization.
 *
 * <p>A bucket fires when the watermark passes its end; an input that arrives after that but within
 * its level's allowed lateness makes it fire again with the next revision, and the revision flows
 * up to the levels above. When the watermark passes a bucket's end plus the lateness its inputs,
 * revision and timers are dropped; points later than that go to the side output {@link #TOO_LATE}.
 * A higher level's lateness covers the one below (see {@link RollupPipeline#checkLevels}), so a
 * lower revision always finds its upper bucket.
 *
 * <p>Emits every bucket of every level; {@link PublishedAggregations} chooses what is published.
 * Metrics: see {@link LevelBuckets}, and {@code inputsTooLate} on the finest level.
 */
public class SeriesRollup extends KeyedProcessFunction<String, Observation, Aggregation> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Observation> TOO_LATE = new OutputTag<>("too-late-points") {};

    /** The timestamp passed for inputs that do not come from a timer. */
    private static final long NOT_IN_TIMER = Long.MIN_VALUE;

    private final List<RollupLevel> levels;
    private final RollupRules rules;

    /**
     * The first point of the finest bucket that received its first input last: the series' identity
     * (metric, tags, type) for its policy and records in timers.
     */
    private transient ValueState<Observation> identity;

    private transient LevelBuckets<RawPoint> points;

    /** The levels above the finest, in order; each stores the buckets of the one before it. */
    private transient List<LevelBuckets<Aggregation>> merged;

    private transient Counter inputsTooLate;

    public SeriesRollup(List<RollupLevel> levels, RollupRules rules) {
        RollupPipeline.checkLevels(levels);
        this.levels = List.copyOf(levels);
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        identity =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "identity", TypeInformation.of(Observation.class)));
        points =
                new LevelBuckets<>(
                        levels.get(0),
                        LevelBuckets.Layout.GROUPED,
                        getRuntimeContext(),
                        TypeInformation.of(RawPoint.class));
        inputsTooLate = points.metrics().counter("inputsTooLate");
        merged = new ArrayList<>();
        for (RollupLevel level : levels.subList(1, levels.size())) {
            merged.add(
                    new LevelBuckets<>(
                            level,
                            LevelBuckets.Layout.INDEXED,
                            getRuntimeContext(),
                            TypeInformation.of(Aggregation.class)));
        }
    }

    private SeriesPolicy policyOf(Observation point) {
        return rules.policyFor(point.getMetric(), point.getTagset());
    }

    @Override
    public void processElement(Observation point, Context context, Collector<Aggregation> out)
            throws Exception {
        SeriesPolicy policy = policyOf(point);
        long micros = point.getTimestampMicros();
        Bucket bucket = points.bucketOf(micros, policy.zone());
        TimerService timers = context.timerService();
        long watermark = timers.currentWatermark();
        if (points.cleanupTime(bucket) <= watermark) {
            inputsTooLate.inc();
            context.output(TOO_LATE, point);
            return;
        }
        // Most points fall into a bucket that has inputs already: its timers are set (its cleanup
        // has not run, or this point would be too late), and the series' identity is stored.
        boolean newBucket = points.put(bucket, micros, new RawPoint(micros, point.getValue()));
        if (newBucket) {
            identity.update(point);
            timers.registerEventTimeTimer(points.cleanupTime(bucket));
        }
        long firing = LevelBuckets.firingTime(bucket);
        if (firing <= watermark) {
            emitPoints(bucket, SeriesRef.of(point), policy, timers, NOT_IN_TIMER, out);
        } else if (newBucket) {
            timers.registerEventTimeTimer(firing);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Aggregation> out)
            throws Exception {
        Observation known = identity.value();
        if (known == null) {
            return;
        }
        SeriesRef series = SeriesRef.of(known);
        SeriesPolicy policy = policyOf(known);
        TimerService timers = context.timerService();
        // Lowest level first: a bucket it emits now is in the level above before that level's
        // bucket ending at the same instant fires.
        Bucket firing = points.bucketOf(timestamp * 1000, policy.zone());
        if (LevelBuckets.firingTime(firing) == timestamp && !points.hasFired(firing)) {
            emitPoints(firing, series, policy, timers, timestamp, out);
        }
        for (int i = 0; i < merged.size(); i++) {
            LevelBuckets<Aggregation> level = merged.get(i);
            Bucket upper = level.bucketOf(timestamp * 1000, policy.zone());
            if (LevelBuckets.firingTime(upper) == timestamp && !level.hasFired(upper)) {
                emitMerged(i, upper, series, policy, timers, timestamp, out);
            }
        }
        boolean forgot = forgetExpired(points, timestamp, policy);
        for (LevelBuckets<Aggregation> level : merged) {
            forgot |= forgetExpired(level, timestamp, policy);
        }
        // Only forgetting can empty the series, so only then is it worth asking every level.
        if (forgot && points.isEmpty() && allEmpty(merged)) {
            identity.clear();
        }
    }

    /** Forgets the level's bucket whose lateness ends now; true if there was one. */
    private static boolean forgetExpired(LevelBuckets<?> level, long timestamp, SeriesPolicy policy)
            throws Exception {
        Bucket expired = level.expiringAt(timestamp, policy.zone());
        if (expired == null) {
            return false;
        }
        level.forget(expired);
        return true;
    }

    private static boolean allEmpty(List<LevelBuckets<Aggregation>> levels) throws Exception {
        for (LevelBuckets<Aggregation> level : levels) {
            if (!level.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void emitPoints(
            Bucket bucket,
            SeriesRef series,
            SeriesPolicy policy,
            TimerService timers,
            long timerTimestamp,
            Collector<Aggregation> out)
            throws Exception {
        TreeMap<Long, RawPoint> inBucket = points.inputsIn(bucket);
        if (inBucket.isEmpty()) {
            return;
        }
        TreeMap<Long, Object> values = new TreeMap<>();
        inBucket.forEach((micros, point) -> values.put(micros, point.getValue()));
        BucketAggregate aggregate =
                BucketAggregate.ofPoints(series.type(), policy.counterMode(), values);
        publish(points, 0, bucket, aggregate, series, policy, timers, timerTimestamp, out);
    }

    private void emitMerged(
            int index,
            Bucket bucket,
            SeriesRef series,
            SeriesPolicy policy,
            TimerService timers,
            long timerTimestamp,
            Collector<Aggregation> out)
            throws Exception {
        LevelBuckets<Aggregation> level = merged.get(index);
        TreeMap<Long, Aggregation> lowers = level.inputsIn(bucket);
        if (lowers.isEmpty()) {
            return;
        }
        BucketAggregate aggregate = BucketAggregate.empty(series.type(), policy.counterMode());
        for (Map.Entry<Long, Aggregation> lower : lowers.entrySet()) {
            aggregate.mergeAfter(
                    AggregationRecords.fromRecord(lower.getValue(), policy.counterMode()));
        }
        publish(level, index + 1, bucket, aggregate, series, policy, timers, timerTimestamp, out);
    }

    /** Emits a bucket as the level's next revision and hands it to the level above. */
    private void publish(
            LevelBuckets<?> level,
            int upperIndex,
            Bucket bucket,
            BucketAggregate aggregate,
            SeriesRef series,
            SeriesPolicy policy,
            TimerService timers,
            long timerTimestamp,
            Collector<Aggregation> out)
            throws Exception {
        Aggregation record =
                AggregationRecords.toRecord(
                        series,
                        level.interval(),
                        bucket,
                        policy,
                        level.nextRevision(bucket),
                        aggregate);
        out.collect(record);
        passUp(upperIndex, record, series, policy, timers, timerTimestamp, out);
    }

    /**
     * Hands a bucket just emitted to the level above {@code merged.get(index)}'s input, if any.
     * Inside a timer the upper bucket is left to its own timer (which fires in the same watermark
     * advance when it is due, or in this very call when it is due now), so a watermark that jumps
     * over many lower buckets fires each upper bucket once, not once per lower bucket.
     */
    private void passUp(
            int index,
            Aggregation lower,
            SeriesRef series,
            SeriesPolicy policy,
            TimerService timers,
            long timerTimestamp,
            Collector<Aggregation> out)
            throws Exception {
        if (index >= merged.size()) {
            return;
        }
        LevelBuckets<Aggregation> level = merged.get(index);
        Bucket bucket = level.bucketOf(lower.getBucketStartMicros(), policy.zone());
        level.put(bucket, lower.getBucketStartMicros(), lower);
        timers.registerEventTimeTimer(level.cleanupTime(bucket));
        long firing = LevelBuckets.firingTime(bucket);
        boolean inTimer = timerTimestamp != NOT_IN_TIMER;
        if (firing > timers.currentWatermark()) {
            timers.registerEventTimeTimer(firing);
        } else if (level.hasFired(bucket) || !inTimer) {
            emitMerged(index, bucket, series, policy, timers, timerTimestamp, out);
        } else if (firing != timerTimestamp) {
            timers.registerEventTimeTimer(firing);
        }
    }
}
