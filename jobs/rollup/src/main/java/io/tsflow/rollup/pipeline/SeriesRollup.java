package io.tsflow.rollup.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.common.time.SilenceClock;
import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Bucket;
import io.tsflow.runtime.ClosesAtEndOfInput;
import io.tsflow.runtime.DownstreamFailure;
import io.tsflow.runtime.EndOfInputOperator;
import io.tsflow.runtime.ObservationCheck;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.runtime.SilenceTimer;
import io.tsflow.runtime.SubtaskCounter;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawPoint;
import io.tsflow.schema.Rejected;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every level of one series' rollup, keyed by series key. Its input is runs of a series' points
 * ({@link PointRunBundler}): each point of a run is rolled up as if it had come alone, and the
 * series' progress is read once before the run and written once after it. The finest level
 * aggregates points, one per timestamp (a repeated timestamp replaces the earlier value, so gateway
 * retries are never counted twice); each higher level merges the buckets of the level below as they
 * are emitted, never raw points. All levels live in one task because they share the key: a bucket
 * passes to the next level as an object, never through a shuffle and its serialization.
 *
 * <p>Each series runs on its own clock: its watermark is the newest event time it has sent minus
 * the allowed out-of-orderness ({@link SeriesProgress#watermark}). A bucket fires when that
 * watermark passes its end; an input that arrives after that but within its level's allowed
 * lateness makes it fire again with the next revision, which flows up to the levels above; once the
 * watermark passes a bucket's end plus the lateness, its inputs and revision are dropped and points
 * for it go to the side output {@link #TOO_LATE}. So a series' buckets depend only on its own
 * points and their order, never on how other series, partitions or a backlog were interleaved with
 * them, and a gateway that uploads hours of buffered points rolls them up as if they had come live.
 *
 * <p>A series that sends nothing for the idle delay (processing time) has its changed open buckets
 * emitted as they stand; they stay open, and later points revise them. One silent for {@code
 * forgetAfter} is forgotten: state and timers. At the end of a bounded input every open bucket is
 * emitted and the series forgotten ({@link EndOfInputOperator} tells every series). Timers: one
 * processing-time timer per series at a time, and no event-time timer. A point moves the timer
 * forward when it would fire within a quarter of the idle delay, so a series that sends at least
 * that often never has it fire while it is active; one that sends less often has it fire, find the
 * series alive and move itself.
 *
 * <p>Emits every bucket of every level; {@link PublishedAggregations} chooses what is published.
 *
 * <p>No point can fail the job. A series has one type family while it has open buckets (tdouble and
 * tlong aggregate together): a point of another type moves the series' clock but goes to {@link
 * #REFUSED} ({@code TYPE_CHANGED}), until the old type's buckets have all closed and the new type
 * starts the series again. A value beyond what the quantile sketch holds is refused too ({@code
 * VALUE_OUT_OF_RANGE}). Any exception a point causes sends it there ({@code PROCESSING_FAILED});
 * one in a timer drops the series' open buckets instead of failing every restore.
 *
 * <p>Metrics (group {@code tsflow}): see {@link LevelBuckets}; {@code inputsTooLate} on the finest
 * level; {@code seriesClosedIdle}, {@code seriesForgotten}, {@code pointsRefused}, {@code
 * processingFailures}, {@code pointsRefusedByCardinalityLimit}, gauge {@code openSeries}.
 *
 * <p>Cardinality: a subtask holds at most {@code maxSeries} series; a point of a new series beyond
 * is refused ({@code CARDINALITY_LIMIT}) until others are forgotten. The count survives checkpoints
 * (operator state {@code open-series}).
 */
public class SeriesRollup extends KeyedProcessFunction<String, PointRun, Aggregation>
        implements CheckpointedFunction, ClosesAtEndOfInput<String, Aggregation> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Observation> TOO_LATE = new OutputTag<>("too-late-points") {};

    /** Points refused (a type change, a value out of range) or that failed: dead letters. */
    public static final OutputTag<Rejected> REFUSED = new OutputTag<>("refused-points") {};

    private static final Logger LOG = LoggerFactory.getLogger(SeriesRollup.class);

    /**
     * The event-time timer every series held in earlier builds, which only the end of a bounded
     * input fires; the end of the input now reaches every series through {@link EndOfInputOperator}
     * instead, so a series restored with one closes at whichever comes first.
     */
    static final long END_OF_INPUT = Long.MAX_VALUE;

    /** The state whose keys are the series this subtask holds. */
    static final String PROGRESS_STATE = "series-progress";

    private final List<RollupLevel> levels;
    private final RollupRules rules;
    private final SeriesTiming timing;

    /**
     * Where builds before {@link SeriesProgress#identity} kept the series' identity: read for a
     * series whose progress has none yet, and cleared once it has. The first point of the finest
     * bucket that received its first input last: the series' identity (metric, tags, type) for its
     * policy and records in timers.
     */
    private transient ValueState<Observation> identity;

    private transient ValueState<SeriesProgress> progressState;

    /**
     * The progress of the series whose run is being rolled up: read once before its first point,
     * written once after its last (null: none, or forgotten by one of its points).
     */
    private transient SeriesProgress runProgress;

    private transient PointInputs points;

    /** The levels above the finest, in order; each stores the buckets of the one before it. */
    private transient List<LevelBuckets<BucketAggregate>> merged;

    private transient Counter inputsTooLate;
    private transient Counter seriesClosedIdle;
    private transient Counter seriesForgotten;
    private transient Counter pointsRefused;
    private transient Counter processingFailures;

    /** Which series are silent, on this task's processing time. */
    private transient SilenceClock silence;

    private transient long outOfOrdernessMillis;

    /** The most series one subtask holds state for; a new series beyond is refused. */
    private final long maxSeries;

    private final SubtaskCounter openSeries = new SubtaskCounter("open-series");
    private transient Counter seriesRefusedByLimit;

    public SeriesRollup(List<RollupLevel> levels, RollupRules rules, SeriesTiming timing) {
        this(levels, rules, timing, Long.MAX_VALUE);
    }

    public SeriesRollup(
            List<RollupLevel> levels, RollupRules rules, SeriesTiming timing, long maxSeries) {
        RollupPipeline.checkLevels(levels);
        this.levels = List.copyOf(levels);
        this.rules = rules;
        this.timing = timing;
        this.maxSeries = maxSeries;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openSeries.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openSeries.snapshot();
    }

    @Override
    public void open(OpenContext openContext) {
        identity =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "identity", TypeInformation.of(Observation.class)));
        progressState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        PROGRESS_STATE, SeriesProgressSerializer.INSTANCE));
        points = new PointInputs(LevelBuckets.ofPoints(levels.get(0), getRuntimeContext()));
        inputsTooLate = points.level().metrics().counter("inputsTooLate");
        merged = new ArrayList<>();
        for (RollupLevel level : levels.subList(1, levels.size())) {
            merged.add(LevelBuckets.ofLowerBuckets(level, getRuntimeContext()));
        }
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("tsflow");
        seriesClosedIdle = metrics.counter("seriesClosedIdle");
        seriesForgotten = metrics.counter("seriesForgotten");
        pointsRefused = metrics.counter("pointsRefused");
        seriesRefusedByLimit = metrics.counter("pointsRefusedByCardinalityLimit");
        metrics.gauge("openSeries", (Gauge<Long>) openSeries::get);
        processingFailures = metrics.counter("processingFailures");
        silence = new SilenceClock(timing);
        outOfOrdernessMillis = timing.outOfOrderness().toMillis();
    }

    /** Package-private so that a test can make it fail like an unforeseen bug would. */
    SeriesPolicy policyOf(Observation point) {
        return rules.policyFor(point.getMetric(), point.getTagset());
    }

    private long now(TimerService timers) {
        return silence.observe(timers.currentProcessingTime());
    }

    private LevelBuckets<?> level(int index) {
        return index == 0 ? points.level() : merged.get(index - 1);
    }

    /**
     * Rolls up each point of {@code run} in turn, as if they had come one by one. A point that
     * fails is refused alone; if the series' progress cannot be read or written, every point of the
     * run is refused, and the job goes on.
     */
    @Override
    public void processElement(PointRun run, Context context, Collector<Aggregation> downstream)
            throws Exception {
        Collector<Aggregation> out = DownstreamFailure.marking(downstream);
        // Three separate guards, not one around all: a guard rethrows a failure downstream
        // unmarked, so an enclosing guard would take it for the function's own and swallow it.
        boolean[] read = {false};
        DownstreamFailure.isolate(
                () -> {
                    runProgress = readProgress(run);
                    read[0] = true;
                },
                failure -> refuseRun(run, context, "read", failure));
        if (!read[0]) {
            return;
        }
        for (int i = 0; i < run.size(); i++) {
            rollUp(run, i, context, out);
        }
        DownstreamFailure.isolate(
                () -> {
                    if (runProgress != null) {
                        progressState.update(runProgress);
                    }
                },
                failure -> refuseRun(run, context, "written", failure));
    }

    /**
     * The series' progress could not be {@code readOrWritten}: every point of the run is refused.
     */
    private void refuseRun(PointRun run, Context context, String readOrWritten, Throwable failure) {
        LOG.warn(
                "Rollup of series {}: its progress could not be {}; the {} points of the run go to"
                        + " the dead-letter topic",
                run.seriesKey(),
                readOrWritten,
                run.size(),
                failure);
        for (int i = 0; i < run.size(); i++) {
            refuse(
                    context,
                    run.point(i),
                    RejectReason.PROCESSING_FAILED,
                    "progress could not be "
                            + readOrWritten
                            + ": "
                            + ObservationRejects.describe(failure),
                    failure);
        }
    }

    /**
     * The progress of {@code run}'s series. Package-private so that a test can make it fail like
     * corrupt state would.
     */
    SeriesProgress readProgress(PointRun run) throws Exception {
        return progressState.value();
    }

    /** Rolls up point {@code index} of {@code run}. */
    private void rollUp(PointRun run, int index, Context context, Collector<Aggregation> out)
            throws Exception {
        DownstreamFailure.isolate(
                () -> admit(run, index, context, out),
                failure -> {
                    LOG.warn(
                            "Rollup of series {} failed on a point; it goes to the dead-letter"
                                    + " topic",
                            run.seriesKey(),
                            failure);
                    refuse(
                            context,
                            run.point(index),
                            RejectReason.PROCESSING_FAILED,
                            ObservationRejects.describe(failure),
                            failure);
                });
    }

    /** Admits point {@code index} of {@code run} to its series, or refuses it. */
    private void admit(PointRun run, int index, Context context, Collector<Aggregation> out)
            throws Exception {
        ObservationCheck.Problem problem =
                PointAdmission.valueProblem(run.type(), run.value(index));
        if (problem != null) {
            refuse(context, run.point(index), problem.reason(), problem.message(), null);
            return;
        }
        if (runProgress != null && runProgress.type == null) {
            // State of an earlier version, without the type: the identity has it.
            Observation known = knownIdentity(runProgress);
            runProgress.type = known == null ? run.type() : known.getType();
        }
        Observation known;
        if (runProgress != null
                && !PointAdmission.sameFamily(runProgress.type, run.type())
                && (known = knownIdentity(runProgress)) != null) {
            if (!typeChangeTakesOver(run.micros(index), known, context.timerService(), out)) {
                refuse(
                        context,
                        run.point(index),
                        RejectReason.TYPE_CHANGED,
                        PointAdmission.typeChangeMessage(runProgress.type, run.type()),
                        null);
                return;
            }
            // forgotten: the point starts the series again
        }
        add(run, index, context, out);
    }

    /**
     * A point of another type family moves the series' clock without being aggregated. Once that
     * has closed every open bucket of the old type, the series is forgotten and the point starts it
     * again with its new type: true.
     */
    private boolean typeChangeTakesOver(
            long micros, Observation known, TimerService timers, Collector<Aggregation> out)
            throws Exception {
        runProgress.newestEventMillis =
                Math.max(runProgress.newestEventMillis, Math.floorDiv(micros, 1000L));
        settle(
                runProgress,
                runProgress.watermark(outOfOrdernessMillis),
                false,
                SeriesRef.of(known),
                policyOf(known),
                out);
        if (runProgress.nothingOpen()) {
            forget(runProgress, timers);
            runProgress = null;
            return true;
        }
        return false;
    }

    private void refuse(
            Context context,
            Observation point,
            RejectReason reason,
            String message,
            Throwable failure) {
        refuse(rejected -> context.output(REFUSED, rejected), point, reason, message, failure);
    }

    private void refuse(
            Consumer<Rejected> refused,
            Observation point,
            RejectReason reason,
            String message,
            Throwable failure) {
        pointsRefused.inc();
        if (failure != null) {
            processingFailures.inc();
        }
        Rejected rejected = ObservationRejects.ofPoint(point, "rollup", reason, message, failure);
        DownstreamFailure.marking(() -> refused.accept(rejected));
    }

    /**
     * Adds point {@code index} of {@code run} to its series, whose {@link #runProgress} was read
     * (null: none yet).
     */
    private void add(PointRun run, int index, Context context, Collector<Aggregation> out)
            throws Exception {
        TimerService timers = context.timerService();
        long now = now(timers);
        boolean started = false;
        if (runProgress == null) {
            if (openSeries.get() >= maxSeries) {
                seriesRefusedByLimit.inc();
                refuse(
                        context,
                        run.point(index),
                        RejectReason.CARDINALITY_LIMIT,
                        "this rollup subtask already holds "
                                + openSeries.get()
                                + " series, its limit (maxSeriesPerSubtask): a new series starts"
                                + " once others are forgotten",
                        null);
                return;
            }
            openSeries.increment();
            runProgress = SeriesProgress.start(levels.size());
            started = true;
        }
        runProgress.lastArrivalMillis = now;
        runProgress.wakeAtMillis =
                SilenceTimer.afterArrival(
                        runProgress.wakeAtMillis,
                        silence.idleAt(now),
                        silence.renewTimerBefore(now),
                        timers);
        SeriesPolicy policy = policyOf(run);
        long micros = run.micros(index);
        Bucket bucket = points.level().bucketOf(micros, policy.zone());
        if (points.level().cleanupTime(bucket) <= runProgress.watermark(outOfOrdernessMillis)) {
            inputsTooLate.inc();
            Observation late = run.point(index);
            DownstreamFailure.marking(() -> context.output(TOO_LATE, late));
            return;
        }
        points.put(runProgress, bucket, new RawPoint(micros, run.value(index)));
        if (runProgress.levels[0].markChanged(bucket.startMicros())) {
            if (!started && runProgress.identity == null) {
                identity.clear(); // state of an earlier version kept the identity there
            }
            // The run's first point: it shares the identity of this one, and is already bytes.
            runProgress.identity = run.identity();
            runProgress.type = run.type(); // the identity's type, without decoding it
        }
        runProgress.dueBy(LevelBuckets.firingTime(bucket));
        runProgress.newestEventMillis =
                Math.max(runProgress.newestEventMillis, Math.floorDiv(micros, 1000L));
        long watermark = runProgress.watermark(outOfOrdernessMillis);
        if (watermark >= runProgress.nextDueMillis) {
            // Checked here as settle() checks it, so that the series' metric and tags are decoded
            // only when a bucket fires, not for every point.
            settle(runProgress, watermark, false, SeriesRef.of(run.first()), policy, out);
        }
    }

    /**
     * The policy of {@code run}'s series; its identity is decoded only if the policy depends on the
     * series.
     */
    private SeriesPolicy policyOf(PointRun run) {
        SeriesPolicy shared = rules.sharedPolicy();
        return shared != null ? shared : policyOf(run.first());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Aggregation> downstream)
            throws Exception {
        DownstreamFailure.isolate(
                () -> wake(context, DownstreamFailure.marking(downstream)),
                failure -> timerFailed(context, failure));
    }

    /** The operator that runs this function and tells every series when the input ends. */
    public EndOfInputOperator<String, PointRun, Aggregation> operator() {
        return new EndOfInputOperator<>(this, PROGRESS_STATE, REFUSED);
    }

    /**
     * The end of a bounded input, or a stop with drain, for the current series: every open bucket
     * is final, and the series is forgotten. {@link EndOfInputOperator} calls it for each series it
     * holds.
     */
    @Override
    public void endOfInput(String key, TimerService timers, Collector<Aggregation> out)
            throws Exception {
        closeAtEnd(progressState.value(), timers, out);
    }

    /**
     * No record to blame: the series is forgotten, so that its state cannot fail every restore, and
     * its identity goes to the dead-letter topic to say so.
     */
    private void timerFailed(OnTimerContext context, RuntimeException failure) throws Exception {
        keyFailed(
                context.getCurrentKey(),
                context.timerService(),
                rejected -> context.output(REFUSED, rejected),
                failure);
    }

    @Override
    public void keyFailed(
            String key, TimerService timers, Consumer<Rejected> refused, RuntimeException failure)
            throws Exception {
        SeriesProgress progress = progressState.value();
        Observation known = progress == null ? identity.value() : knownIdentity(progress);
        LOG.warn(
                "Rollup of series {} failed in a timer; its open buckets are dropped",
                key,
                failure);
        if (known != null) {
            refuse(
                    refused,
                    known,
                    RejectReason.PROCESSING_FAILED,
                    "open buckets dropped: " + ObservationRejects.describe(failure),
                    failure);
        } else {
            processingFailures.inc();
        }
        if (progress != null) {
            forget(progress, timers);
        }
    }

    private void wake(OnTimerContext context, Collector<Aggregation> out) throws Exception {
        SeriesProgress progress = progressState.value();
        if (progress == null) {
            return;
        }
        TimerService timers = context.timerService();
        if (progress.identity == null && identity.value() == null) {
            forget(progress, timers);
            return;
        }
        if (context.timeDomain() == TimeDomain.EVENT_TIME) {
            // The end of the input, for a series that an earlier build gave the timer.
            closeAtEnd(progress, timers, out);
            return;
        }
        long now = now(timers);
        progress.wakeAtMillis = SilenceTimer.NONE;
        SilenceClock.Stage stage = silence.stageAt(now, progress.lastArrivalMillis);
        if (stage != SilenceClock.Stage.ACTIVE && progress.anyChanged()) {
            seriesClosedIdle.inc();
            settleAll(progress, progress.watermark(outOfOrdernessMillis), out);
        }
        if (stage == SilenceClock.Stage.EXPIRED) {
            seriesForgotten.inc();
            forget(progress, timers);
            return;
        }
        progress.wakeAtMillis =
                SilenceTimer.set(silence.nextChange(now, progress.lastArrivalMillis), timers);
        progressState.update(progress);
    }

    /** The end of the input: every open bucket is final, and the series is forgotten. */
    private void closeAtEnd(
            SeriesProgress progress, TimerService timers, Collector<Aggregation> out)
            throws Exception {
        if (progress.identity == null && identity.value() == null) {
            forget(progress, timers);
            return;
        }
        settleAll(progress, END_OF_INPUT, out);
        forget(progress, timers);
    }

    /**
     * Emits every changed bucket due on {@code watermark} for a timer, with the series' identity
     * decoded only now: most wakes find the series alive and emit nothing.
     */
    private void settleAll(SeriesProgress progress, long watermark, Collector<Aggregation> out)
            throws Exception {
        Observation known = knownIdentity(progress);
        settle(progress, watermark, true, SeriesRef.of(known), policyOf(known), out);
    }

    /** The series' identity: in its progress, or where state of an earlier version has it. */
    private Observation knownIdentity(SeriesProgress progress) throws IOException {
        if (progress.identity == null) {
            return identity.value();
        }
        return ObservationCodec.read(new DataInputDeserializer(progress.identity));
    }

    /** Drops everything kept for the series: inputs, progress, identity and timers. */
    private void forget(SeriesProgress progress, TimerService timers) throws Exception {
        for (int i = 0; i < levels.size(); i++) {
            for (long start : progress.levels[i].starts) {
                forgetInputs(progress, i, start);
            }
        }
        SilenceTimer.clear(progress.wakeAtMillis, timers);
        // An END_OF_INPUT timer of an earlier build is left to fire: it finds no progress. Deleting
        // it would cost every forgotten series a state write on RocksDB.
        progressState.clear();
        if (progress.identity == null) {
            identity.clear(); // state of an earlier version
        }
        openSeries.decrement();
    }

    /**
     * Emits every changed bucket that is due on the series' {@code watermark} (every changed bucket
     * when {@code closeAll}), lowest level first, so that a level sees all the buckets the level
     * below emits now before its own bucket ending at the same instant fires: a watermark that
     * jumps over many lower buckets fires each upper bucket once. Then forgets the buckets whose
     * lateness has passed, and notes when something falls due next.
     */
    private void settle(
            SeriesProgress progress,
            long watermark,
            boolean closeAll,
            SeriesRef series,
            SeriesPolicy policy,
            Collector<Aggregation> out)
            throws Exception {
        if (!closeAll && watermark < progress.nextDueMillis) {
            return;
        }
        try {
            for (int i = 0; i < levels.size(); i++) {
                OpenBuckets open = progress.levels[i];
                LevelBuckets<?> level = level(i);
                for (int j = 0; j < open.size(); j++) {
                    if (!open.changed[j]) {
                        continue;
                    }
                    Bucket bucket = level.bucketOf(open.starts[j], policy.zone());
                    if (!closeAll && LevelBuckets.firingTime(bucket) > watermark) {
                        break; // later buckets fire later still
                    }
                    emit(progress, i, j, bucket, series, policy, out);
                }
            }
            for (int i = 0; i < levels.size(); i++) {
                OpenBuckets open = progress.levels[i];
                LevelBuckets<?> level = level(i);
                int expired = 0;
                while (expired < open.size()
                        && level.cleanupTime(level.bucketOf(open.starts[expired], policy.zone()))
                                <= watermark) {
                    forgetInputs(progress, i, open.starts[expired]);
                    expired++;
                }
                open.removeFirst(expired);
            }
            progress.nextDueMillis = nextDue(progress, policy);
        } finally {
            // A lower bucket that an upper one merged and forgot in this settle never reaches
            // state; the others are written now, while the series' key is current.
            for (LevelBuckets<BucketAggregate> level : merged) {
                level.flush();
            }
        }
    }

    private void forgetInputs(SeriesProgress progress, int levelIndex, long start)
            throws Exception {
        if (levelIndex == 0) {
            points.forget(progress, start);
        } else {
            merged.get(levelIndex - 1).forget(progress.levels[levelIndex], start);
        }
    }

    /**
     * The earliest firing time of a changed bucket and cleanup time of an open one, over every
     * level ({@code Long.MAX_VALUE} when nothing is open). Starts are in ascending order, and so
     * are both times.
     */
    private long nextDue(SeriesProgress progress, SeriesPolicy policy) {
        long due = Long.MAX_VALUE;
        for (int i = 0; i < levels.size(); i++) {
            OpenBuckets open = progress.levels[i];
            LevelBuckets<?> level = level(i);
            if (open.size() > 0) {
                due =
                        Math.min(
                                due,
                                level.cleanupTime(level.bucketOf(open.starts[0], policy.zone())));
            }
            for (int j = 0; j < open.size(); j++) {
                if (open.changed[j]) {
                    Bucket bucket = level.bucketOf(open.starts[j], policy.zone());
                    due = Math.min(due, LevelBuckets.firingTime(bucket));
                    break;
                }
            }
        }
        return due;
    }

    /** Emits bucket {@code index} of level {@code levelIndex} and hands it to the level above. */
    private void emit(
            SeriesProgress progress,
            int levelIndex,
            int index,
            Bucket bucket,
            SeriesRef series,
            SeriesPolicy policy,
            Collector<Aggregation> out)
            throws Exception {
        BucketAggregate aggregate;
        if (levelIndex == 0) {
            aggregate =
                    BucketAggregate.empty(
                            series.type(), policy.counterMode(), policy.needsSketch());
            for (RawPoint point : points.pointsIn(progress, bucket)) {
                aggregate.add(point.getTimestampMicros(), point.getValue());
            }
        } else {
            aggregate =
                    BucketAggregate.empty(
                            series.type(), policy.counterMode(), policy.needsSketch());
            OpenBuckets open = progress.levels[levelIndex];
            for (BucketAggregate lower :
                    merged.get(levelIndex - 1).inputsIn(open, bucket).values()) {
                aggregate.mergeAfter(lower);
            }
        }
        LevelBuckets<?> level = level(levelIndex);
        int revision = progress.levels[levelIndex].nextRevision(index);
        level.countEmitted(revision);
        Aggregation record =
                AggregationRecords.toRecord(
                        series, level.interval(), bucket, policy, revision, aggregate);
        out.collect(record);
        int upperIndex = levelIndex + 1;
        if (upperIndex < levels.size()) {
            LevelBuckets<BucketAggregate> upper = merged.get(levelIndex);
            Bucket upperBucket = upper.bucketOf(bucket.startMicros(), policy.zone());
            // Opened first: the upper bucket keeps the index of what it stores.
            OpenBuckets upperOpen = progress.levels[upperIndex];
            upperOpen.markChanged(upperBucket.startMicros());
            upper.put(upperOpen, upperBucket, bucket.startMicros(), aggregate);
            progress.dueBy(LevelBuckets.firingTime(upperBucket));
        }
    }
}
