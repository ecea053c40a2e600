package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.time.Bucket;
import io.tsflow.rollup.time.BucketAssigner;
import io.tsflow.rollup.time.Interval;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The keyed state of one level of a series' rollup: its inputs by slot (a point's timestamp, or a
 * lower bucket's start), where a later input for a slot replaces the earlier one, and the last
 * revision emitted per bucket. Timers are in event time, milliseconds: a bucket fires at {@code end
 * - 1} (as Flink's windows do) and is forgotten at {@code end - 1 + lateness}.
 *
 * <p>Metrics, in group {@code tsflow} with label {@code interval}: {@code bucketsEmitted}, {@code
 * revisionsEmitted}.
 */
final class LevelBuckets<S> {

    private final RollupLevel level;
    private final long latenessMillis;
    private final MapState<Long, S> inputs;
    private final MapState<Long, Integer> revisions;
    private final MetricGroup metrics;
    private final Counter bucketsEmitted;
    private final Counter revisionsEmitted;

    LevelBuckets(RollupLevel level, RuntimeContext context, TypeInformation<S> inputType) {
        this.level = level;
        this.latenessMillis = level.allowedLateness().toMillis();
        String name = level.interval().name();
        this.inputs =
                context.getMapState(
                        new MapStateDescriptor<>("inputs-" + name, Types.LONG, inputType));
        this.revisions =
                context.getMapState(
                        new MapStateDescriptor<>("revisions-" + name, Types.LONG, Types.INT));
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

    void put(long slot, S input) throws Exception {
        inputs.put(slot, input);
    }

    boolean hasFired(Bucket bucket) throws Exception {
        return revisions.contains(bucket.startMicros());
    }

    /** The bucket's inputs in time order. */
    TreeMap<Long, S> inputsIn(Bucket bucket) throws Exception {
        TreeMap<Long, S> inBucket = new TreeMap<>();
        for (Map.Entry<Long, S> entry : inputs.entries()) {
            if (bucket.contains(entry.getKey())) {
                inBucket.put(entry.getKey(), entry.getValue());
            }
        }
        return inBucket;
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
        List<Long> slots = new ArrayList<>();
        for (Long slot : inputs.keys()) {
            if (bucket.contains(slot)) {
                slots.add(slot);
            }
        }
        for (Long slot : slots) {
            inputs.remove(slot);
        }
        revisions.remove(bucket.startMicros());
    }

    boolean isEmpty() throws Exception {
        return inputs.isEmpty();
    }
}
