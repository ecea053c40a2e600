package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Groups the points a source subtask reads into {@link PointRun}s, one per series, before the
 * shuffle by series (a mini-batch, as Flink SQL's local aggregation does, but keeping every point:
 * the rollup still sees each timestamp, so a re-sent point replaces its earlier value). A series'
 * points keep their order, and runs are sent in the order of their series' first point; a point
 * whose identity differs from its series' open run (a type change) first sends that run. Everything
 * held is sent when {@code maxPoints} are held, {@code maxDelay} after the first of them arrived,
 * before a checkpoint barrier (so the operator has no state), at a watermark, and at the end of the
 * input. It runs at the parallelism of the step before it, chained to it: a redistribution between
 * them would mix up the order of a series' points.
 *
 * <p>Gathering pays only when a series has several points among those held: with more series than
 * {@code maxPoints} (or live traffic, a point per series per delay) nearly every run holds one
 * point, and holding them costs more than it saves (the rollup benchmark at 1 M series ran at 0.41x
 * on RocksDB and 0.82x on the heap). So each time it sends what it gathered, the bundler looks at
 * the runs: if at least {@link #JUDGED_FROM} points made fewer than two points a run on average, it
 * sends the next {@link #ALONE_FOR} times {@code maxPoints} points alone, then gathers again to see
 * whether the input has changed (a backlog read after downtime gathers well, live traffic does
 * not).
 *
 * <p>Holds references to its input records until it sends them: the step before it must hand over a
 * new object per record, as the decoding step does.
 *
 * <p>Metrics (group {@code tsflow}): {@code pointRunsSent}, {@code pointsSentAlone} (points sent
 * without gathering, while gathering does not pay).
 */
public final class PointRunBundler extends AbstractStreamOperator<PointRun>
        implements OneInputStreamOperator<Observation, PointRun>,
                BoundedOneInput,
                ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    /** The fewest points a sending of everything held must have to judge whether gathering pays. */
    static final int JUDGED_FROM = 1_000;

    /** How many times {@code maxPoints} points go alone once gathering did not pay. */
    static final int ALONE_FOR = 32;

    private final int maxPoints;
    private final long maxDelayMillis;

    private transient Map<String, OpenRun> open;
    private transient int held;
    private transient boolean timerSet;
    private transient long aloneLeft;
    private transient Counter runsSent;
    private transient Counter sentAlone;

    public PointRunBundler(MiniBatch miniBatch) {
        this.maxPoints = miniBatch.maxPoints();
        this.maxDelayMillis = miniBatch.maxDelay().toMillis();
        // Chained to the decoding step: a network hop between them would cost more than the runs
        // save (an operator of this kind starts its own chain by default).
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Runs leave in the order of their series' first point: which series are new to the rollup
        // first (and so within its cardinality limit) stays the order in which they arrived.
        open = new LinkedHashMap<>();
        MetricGroup metrics = getMetricGroup().addGroup("tsflow");
        runsSent = metrics.counter("pointRunsSent");
        sentAlone = metrics.counter("pointsSentAlone");
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        Observation point = element.getValue();
        if (maxPoints == 1) {
            runsSent.inc();
            output.collect(new StreamRecord<>(PointRun.of(point)));
            return;
        }
        if (aloneLeft > 0) {
            // Nothing is held while points go alone (everything was sent before), so a series'
            // order is kept.
            aloneLeft--;
            runsSent.inc();
            sentAlone.inc();
            output.collect(new StreamRecord<>(PointRun.of(point)));
            return;
        }
        OpenRun run = open.get(point.getSeriesKey());
        if (run == null) {
            open.put(point.getSeriesKey(), new OpenRun(point));
        } else if (!run.add(point)) {
            send(run);
            open.put(point.getSeriesKey(), new OpenRun(point));
        }
        held++;
        if (held >= maxPoints) {
            sendAll();
        } else if (!timerSet) {
            timerSet = true;
            getProcessingTimeService()
                    .registerTimer(
                            getProcessingTimeService().getCurrentProcessingTime() + maxDelayMillis,
                            this);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerSet = false;
        sendAll();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        sendAll();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        sendAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        sendAll();
    }

    /** How many points went alone because gathering did not pay (the metric's count). */
    long pointsSentAlone() {
        return sentAlone.getCount();
    }

    private void sendAll() {
        int runs = open.size();
        for (OpenRun run : open.values()) {
            send(run);
        }
        open.clear();
        if (held >= JUDGED_FROM && held < 2 * runs) {
            aloneLeft = (long) ALONE_FOR * maxPoints;
        }
        held = 0;
    }

    private void send(OpenRun run) {
        runsSent.inc();
        output.collect(new StreamRecord<>(run.toRun()));
    }

    /** A run being gathered. */
    private static final class OpenRun {
        private final Observation first;
        private List<RawPoint> more;

        OpenRun(Observation first) {
            this.first = first;
        }

        /** Adds {@code point} if it shares the run's identity: true; else false. */
        boolean add(Observation point) {
            if (!PointRun.sameIdentity(first, point)) {
                return false;
            }
            if (more == null) {
                more = new ArrayList<>();
            }
            more.add(new RawPoint(point.getTimestampMicros(), point.getValue()));
            return true;
        }

        PointRun toRun() {
            return more == null
                    ? PointRun.of(first)
                    : PointRun.of(first, more.toArray(new RawPoint[0]));
        }
    }
}
