package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Bucket;
import io.tsflow.rollup.time.BucketAssigner;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The life of the buckets of one level, keyed by series. Inputs are kept in keyed state by their
 * slot (a point's timestamp, or a lower bucket's start); a later input for the same slot replaces
 * the earlier one. A bucket fires when the watermark passes its end; an input that arrives after
 * that but within {@code allowedLateness} makes it fire again with the next revision; when the
 * watermark passes the end plus the lateness the bucket's inputs, revision and timers are dropped,
 * and inputs later than that go to the side output {@link #tooLate()}.
 *
 * <p>Metrics, in group {@code tsflow} with label {@code interval}: {@code bucketsEmitted}, {@code
 * revisionsEmitted}, {@code inputsTooLate}.
 *
 * <p>Timers (event time, milliseconds): at {@code end - 1} a bucket fires (as Flink's windows do),
 * at {@code end - 1 + lateness} it is cleaned up.
 */
public abstract class BucketedAggregator<IN, S>
        extends KeyedProcessFunction<String, IN, Aggregation> {

    private static final long serialVersionUID = 1L;

    private final Interval interval;
    private final long latenessMillis;
    private final RollupRules rules;
    private final TypeInformation<IN> inputType;
    private final TypeInformation<S> storedType;

    /** What is kept of each input, by slot. */
    private transient MapState<Long, S> inputs;

    /**
     * The latest input: the series' identity (metric, tags, type) for the policy and the records.
     */
    private transient ValueState<IN> latest;

    private transient MapState<Long, Integer> revisions;
    private transient Counter bucketsEmitted;
    private transient Counter revisionsEmitted;
    private transient Counter inputsTooLate;

    protected BucketedAggregator(
            Interval interval,
            Duration allowedLateness,
            RollupRules rules,
            TypeInformation<IN> inputType,
            TypeInformation<S> storedType) {
        this.interval = interval;
        this.latenessMillis = allowedLateness.toMillis();
        this.rules = rules;
        this.inputType = inputType;
        this.storedType = storedType;
    }

    /** Where an input belongs in time, in microseconds; also its slot within the bucket. */
    protected abstract long slotOf(IN input);

    protected abstract SeriesRef seriesOf(IN input);

    /** What is kept of an input until its bucket is cleaned up. */
    protected abstract S stored(IN input);

    /** The aggregate of a bucket's stored inputs, given in time order. */
    protected abstract BucketAggregate aggregate(
            SeriesRef series, SeriesPolicy policy, TreeMap<Long, S> inputs);

    /** Where inputs later than the allowed lateness go. */
    protected abstract OutputTag<IN> tooLate();

    @Override
    public void open(OpenContext openContext) {
        inputs =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("inputs", Types.LONG, storedType));
        latest = getRuntimeContext().getState(new ValueStateDescriptor<>("latest", inputType));
        revisions =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("revisions", Types.LONG, Types.INT));
        MetricGroup metrics =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("tsflow")
                        .addGroup("interval", interval.name());
        bucketsEmitted = metrics.counter("bucketsEmitted");
        revisionsEmitted = metrics.counter("revisionsEmitted");
        inputsTooLate = metrics.counter("inputsTooLate");
    }

    public Interval interval() {
        return interval;
    }

    private SeriesPolicy policy(IN input) {
        SeriesRef series = seriesOf(input);
        return rules.policyFor(series.metric(), series.tagset());
    }

    private static long firingTime(Bucket bucket) {
        return Math.floorDiv(bucket.endMicros(), 1000L) - 1;
    }

    private long cleanupTime(Bucket bucket) {
        return firingTime(bucket) + latenessMillis;
    }

    @Override
    public void processElement(IN input, Context context, Collector<Aggregation> out)
            throws Exception {
        SeriesPolicy policy = policy(input);
        Bucket bucket = BucketAssigner.bucketOf(slotOf(input), interval, policy.zone());
        long watermark = context.timerService().currentWatermark();
        if (cleanupTime(bucket) <= watermark) {
            inputsTooLate.inc();
            context.output(tooLate(), input);
            return;
        }
        inputs.put(slotOf(input), stored(input));
        IN previous = latest.value();
        if (previous != null && bucket.contains(slotOf(previous))) {
            // The bucket's timers are set already (its cleanup has not run, or this input would
            // be too late), and the series' identity is known: most inputs take this path.
            if (firingTime(bucket) <= watermark) {
                emit(bucket, policy, out);
            }
            return;
        }
        latest.update(input);
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
        IN any = latest.value();
        if (any == null) {
            return;
        }
        SeriesPolicy policy = policy(any);
        Bucket firing = BucketAssigner.bucketOf(timestamp * 1000, interval, policy.zone());
        if (firingTime(firing) == timestamp
                && !revisions.contains(firing.startMicros())
                && !inputsIn(firing).isEmpty()) {
            emit(firing, policy, out);
        }
        Bucket expired =
                BucketAssigner.bucketOf(
                        (timestamp - latenessMillis) * 1000, interval, policy.zone());
        if (cleanupTime(expired) == timestamp) {
            for (Long slot : inputsIn(expired).keySet()) {
                inputs.remove(slot);
            }
            revisions.remove(expired.startMicros());
            if (inputs.isEmpty()) {
                latest.clear();
            }
        }
    }

    private TreeMap<Long, S> inputsIn(Bucket bucket) throws Exception {
        TreeMap<Long, S> inBucket = new TreeMap<>();
        for (Map.Entry<Long, S> entry : inputs.entries()) {
            if (bucket.contains(entry.getKey())) {
                inBucket.put(entry.getKey(), entry.getValue());
            }
        }
        return inBucket;
    }

    private void emit(Bucket bucket, SeriesPolicy policy, Collector<Aggregation> out)
            throws Exception {
        TreeMap<Long, S> inBucket = inputsIn(bucket);
        Integer previous = revisions.get(bucket.startMicros());
        int revision = previous == null ? 0 : previous + 1;
        (revision == 0 ? bucketsEmitted : revisionsEmitted).inc();
        revisions.put(bucket.startMicros(), revision);
        SeriesRef series = seriesOf(latest.value());
        out.collect(
                AggregationRecords.toRecord(
                        series,
                        interval,
                        bucket,
                        policy,
                        revision,
                        aggregate(series, policy, inBucket)));
    }
}
