package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
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
 * points keep their order; a point whose identity differs from its series' open run (a type change)
 * first sends that run. Everything held is sent when {@code maxPoints} are held, {@code maxDelay}
 * after the first of them arrived, before a checkpoint barrier (so the operator has no state), at a
 * watermark, and at the end of the input. It runs at the parallelism of the step before it, chained
 * to it: a redistribution between them would mix up the order of a series' points.
 *
 * <p>Holds references to its input records until it sends them: the step before it must hand over a
 * new object per record, as the decoding step does.
 *
 * <p>Metrics (group {@code tsflow}): {@code pointRunsSent}.
 */
public final class PointRunBundler extends AbstractStreamOperator<PointRun>
        implements OneInputStreamOperator<Observation, PointRun>,
                BoundedOneInput,
                ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    private final int maxPoints;
    private final long maxDelayMillis;

    private transient Map<String, OpenRun> open;
    private transient int held;
    private transient boolean timerSet;
    private transient Counter runsSent;

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
        open = new HashMap<>();
        runsSent = getMetricGroup().addGroup("tsflow").counter("pointRunsSent");
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        Observation point = element.getValue();
        if (maxPoints == 1) {
            runsSent.inc();
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

    private void sendAll() {
        for (OpenRun run : open.values()) {
            send(run);
        }
        open.clear();
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
