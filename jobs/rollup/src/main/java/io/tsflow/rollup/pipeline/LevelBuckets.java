package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.time.Bucket;
import io.tsflow.rollup.time.BucketAssigner;
import io.tsflow.rollup.time.Interval;
import java.time.ZoneId;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The keyed state of one level of a series' rollup: the inputs of its open buckets (see {@link
 * BucketInputs}), the last revision emitted per bucket, and how many buckets are open, so that
 * asking whether the level is empty is a lookup too. Timers are in event time, milliseconds: a
 * bucket fires at {@code end - 1} (as Flink's windows do) and is forgotten at {@code end - 1 +
 * lateness}.
 *
 * <p>Metrics, in group {@code tsflow} with label {@code interval}: {@code bucketsEmitted}, {@code
 * revisionsEmitted}.
 */
final class LevelBuckets<S> {

    /** How a level stores its inputs. */
    enum Layout {
        /** One entry per bucket: for points. */
        GROUPED,
        /** One entry per input and a slot index per bucket: for lower buckets. */
        INDEXED
    }

    private final RollupLevel level;
    private final long latenessMillis;
    private final BucketInputs<S> inputs;
    private final MapState<Long, Integer> revisions;
    private final ValueState<Integer> openBuckets;
    private final MetricGroup metrics;
    private final Counter bucketsEmitted;
    private final Counter revisionsEmitted;

    LevelBuckets(
            RollupLevel level,
            Layout layout,
            RuntimeContext context,
            TypeInformation<S> inputType) {
        this.level = level;
        this.latenessMillis = level.allowedLateness().toMillis();
        String name = level.interval().name();
        this.inputs =
                layout == Layout.GROUPED
                        ? new GroupedBucketInputs<>("bucket-inputs-" + name, context, inputType)
                        : new IndexedBucketInputs<>("slot-inputs-" + name, context, inputType);
        this.revisions =
                context.getMapState(
                        new MapStateDescriptor<>("revisions-" + name, Types.LONG, Types.INT));
        this.openBuckets =
                context.getState(new ValueStateDescriptor<>("open-buckets-" + name, Types.INT));
        this.metrics = context.getMetricGroup().addGroup("tsflow").addGroup("interval", name);
        this.bucketsEmitted = metrics.counter("bucketsEmitted");
        this.revisionsEmitted = metrics.counter("revisionsEmitted");
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

    /** The bucket whose lateness ends at {@code timestamp}, if there is one. */
    Bucket expiringAt(long timestamp, ZoneId zone) {
        Bucket candidate = bucketOf((timestamp - latenessMillis) * 1000, zone);
        return cleanupTime(candidate) == timestamp ? candidate : null;
    }

    /**
     * Stores {@code input} in {@code slot} of {@code bucket}, replacing an earlier one; true if it
     * is the bucket's first input.
     */
    boolean put(Bucket bucket, long slot, S input) throws Exception {
        if (!inputs.put(bucket.startMicros(), slot, input)) {
            return false;
        }
        Integer open = openBuckets.value();
        openBuckets.update(open == null ? 1 : open + 1);
        return true;
    }

    boolean hasFired(Bucket bucket) throws Exception {
        return revisions.contains(bucket.startMicros());
    }

    /** The bucket's inputs in time order. */
    TreeMap<Long, S> inputsIn(Bucket bucket) throws Exception {
        return inputs.inputsIn(bucket.startMicros());
    }

    /** Records that the bucket is emitted once more, and returns the revision it is emitted as. */
    int nextRevision(Bucket bucket) throws Exception {
        Integer previous = revisions.get(bucket.startMicros());
        int revision = previous == null ? 0 : previous + 1;
        (revision == 0 ? bucketsEmitted : revisionsEmitted).inc();
        revisions.put(bucket.startMicros(), revision);
        return revision;
    }

    /** Drops the bucket's inputs and revision: its lateness is over. */
    void forget(Bucket bucket) throws Exception {
        if (inputs.forget(bucket.startMicros())) {
            Integer open = openBuckets.value();
            if (open == null || open <= 1) {
                openBuckets.clear();
            } else {
                openBuckets.update(open - 1);
            }
        }
        revisions.remove(bucket.startMicros());
    }

    boolean isEmpty() throws Exception {
        return openBuckets.value() == null;
    }
}
