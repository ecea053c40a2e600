package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.time.Bucket;
import io.tsflow.rollup.time.BucketAssigner;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.RawPoint;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The keyed state of one level of a series' rollup: the inputs of its open buckets (see {@link
 * BucketInputs}). Which buckets are open, and their revisions, are in the series' {@link
 * SeriesProgress}. Times are event time in milliseconds on the series' own clock: a bucket fires at
 * {@code end - 1} (as Flink's windows do) and is forgotten at {@code end - 1 + lateness}.
 *
 * <p>Metrics, in group {@code tsflow} with label {@code interval}: {@code bucketsEmitted}, {@code
 * revisionsEmitted}.
 */
final class LevelBuckets<S> {

    private final RollupLevel level;
    private final long latenessMillis;
    private final BucketInputs<S> inputs;
    private final MetricGroup metrics;
    private final Counter bucketsEmitted;
    private final Counter revisionsEmitted;

    private LevelBuckets(RollupLevel level, RuntimeContext context, BucketInputs<S> inputs) {
        this.level = level;
        this.latenessMillis = level.allowedLateness().toMillis();
        this.inputs = inputs;
        String name = level.interval().name();
        this.metrics = context.getMetricGroup().addGroup("tsflow").addGroup("interval", name);
        this.bucketsEmitted = metrics.counter("bucketsEmitted");
        this.revisionsEmitted = metrics.counter("revisionsEmitted");
    }

    /** The finest level: its inputs are points, grouped per bucket. */
    static LevelBuckets<RawPoint> ofPoints(RollupLevel level, RuntimeContext context) {
        return new LevelBuckets<>(
                level,
                context,
                new GroupedBucketInputs<>(
                        "bucket-inputs-" + level.interval().name(),
                        context,
                        TypeInformation.of(RawPoint.class)));
    }

    /** A level above the finest: its inputs are the buckets of the level below. */
    static LevelBuckets<BucketAggregate> ofLowerBuckets(RollupLevel level, RuntimeContext context) {
        return new LevelBuckets<>(
                level, context, new LowerBucketInputs(level.interval().name(), context));
    }

    Interval interval() {
        return level.interval();
    }

    MetricGroup metrics() {
        return metrics;
    }

    Bucket bucketOf(long micros, ZoneId zone) {
        return BucketAssigner.bucketOf(micros, level.interval(), zone);
    }

    static long firingTime(Bucket bucket) {
        return Math.floorDiv(bucket.endMicros(), 1000L) - 1;
    }

    long cleanupTime(Bucket bucket) {
        return firingTime(bucket) + latenessMillis;
    }

    /**
     * Stores {@code input} in {@code slot} of {@code bucket}, one of the series' {@code open}
     * buckets of this level, replacing an earlier one.
     */
    void put(OpenBuckets open, Bucket bucket, long slot, S input) throws Exception {
        inputs.put(open, bucket.startMicros(), slot, input);
    }

    /** Stores every input of {@code bySlot} in the open bucket starting at {@code start}. */
    void putAll(OpenBuckets open, long start, Map<Long, S> bySlot) throws Exception {
        inputs.putAll(open, start, bySlot);
    }

    /** The inputs of {@code bucket}, one of the series' {@code open} buckets, in time order. */
    TreeMap<Long, S> inputsIn(OpenBuckets open, Bucket bucket) throws Exception {
        return inputs.inputsIn(open, bucket.startMicros());
    }

    /** Counts an emission of a bucket as {@code revision}. */
    void countEmitted(int revision) {
        (revision == 0 ? bucketsEmitted : revisionsEmitted).inc();
    }

    /**
     * Drops the inputs of the open bucket starting at {@code start}: its lateness is over, and it
     * leaves the {@code open} buckets next.
     */
    void forget(OpenBuckets open, long start) throws Exception {
        inputs.forget(open, start);
    }

    /** Writes the inputs this level keeps in memory to state ({@link BucketInputs#flush}). */
    void flush() throws Exception {
        inputs.flush();
    }
}
