package io.tsflow.ingest.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.common.types.ValueTypes;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.format.AvroMessageParser;
import io.tsflow.ingest.normalize.NewSeriesGate;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.Rejected;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's one processing step: each raw record becomes observations (main output) and dead-letter
 * records (side output {@link #REJECTED}). Its only state is the series it saw lately, for the
 * limit on new series ({@link NewSeriesGate}).
 *
 * <p>Metrics, in group {@code tsflow}: {@code recordsIn}, {@code observationsOut}, {@code
 * pointsRejected}, {@code recordsRejected} (rejected whole), and {@code rejected} per {@code
 * reason} label.
 */
public class ParseAndNormalize extends ProcessFunction<UndecodedRecord, Observation>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected") {};

    private final IngestRules rules;
    private final RegistrySettings registry;

    private transient RecordProcessor processor;
    private transient Counter recordsIn;
    private transient Counter observationsOut;
    private transient Counter pointsRejected;
    private transient Counter recordsRejected;
    private transient Map<RejectReason, Counter> rejectedByReason;
    private transient MetricGroup metrics;

    public ParseAndNormalize(IngestRules rules, RegistrySettings registry) {
        this.rules = rules;
        this.registry = registry;
    }

    /**
     * The series this subtask remembers, led by the parallelism that wrote them. At the same
     * parallelism a subtask gets its own back and reads the same Kafka partitions; after a change,
     * partitions and remembered series move apart, so the limit waits its start-up grace again.
     */
    private transient ListState<long[]> knownSeriesState;

    private transient long[] restoredSeries;
    private transient boolean startupGrace;
    private transient NewSeriesGate newSeries;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        knownSeriesState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "known-series",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        boolean rescaled = false;
        LongStream.Builder remembered = LongStream.builder();
        for (long[] part : knownSeriesState.get()) {
            rescaled |= part.length == 0 || part[0] != parallelism;
            for (int i = 1; i < part.length; i++) {
                remembered.add(part[i]);
            }
        }
        long[] all = remembered.build().toArray();
        restoredSeries = all;
        // On a first start every series is new; after a rescale they moved between subtasks.
        startupGrace = all.length == 0 || rescaled;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        long[] fingerprints = newSeries.fingerprints();
        long[] part = new long[fingerprints.length + 1];
        part[0] = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        System.arraycopy(fingerprints, 0, part, 1, fingerprints.length);
        knownSeriesState.update(List.of(part));
    }

    @Override
    public void open(OpenContext openContext) {
        ClassLoader classLoader = getRuntimeContext().getUserCodeClassLoader();
        newSeries =
                new NewSeriesGate(
                        rules.newSeries(),
                        System.currentTimeMillis(),
                        restoredSeries,
                        startupGrace);
        restoredSeries = null;
        processor =
                new RecordProcessor(
                        rules,
                        ValueTypes.discover(classLoader),
                        new AvroMessageParser(
                                new ConfluentAvroDecoder<>(
                                        new SchemaRegistryClient(registry),
                                        RawMessage.getClassSchema())),
                        System::currentTimeMillis,
                        newSeries);
        metrics = getRuntimeContext().getMetricGroup().addGroup("tsflow");
        recordsIn = metrics.counter("recordsIn");
        observationsOut = metrics.counter("observationsOut");
        pointsRejected = metrics.counter("pointsRejected");
        recordsRejected = metrics.counter("recordsRejected");
        rejectedByReason = new EnumMap<>(RejectReason.class);
    }

    @Override
    public void processElement(UndecodedRecord record, Context context, Collector<Observation> out)
            throws Exception {
        recordsIn.inc();
        processor.process(
                record,
                new RecordProcessor.Output() {
                    @Override
                    public void observation(Observation observation) {
                        observationsOut.inc();
                        out.collect(observation);
                    }

                    @Override
                    public void rejected(Rejected rejected, int pointsLost) {
                        if (pointsLost == 0 && rejected.getMessageIndex() == null) {
                            recordsRejected.inc();
                        }
                        pointsRejected.inc(pointsLost);
                        reasonCounter(RejectReason.valueOf(rejected.getReason())).inc();
                        context.output(REJECTED, rejected);
                    }
                });
    }

    private Counter reasonCounter(RejectReason reason) {
        return rejectedByReason.computeIfAbsent(
                reason, r -> metrics.addGroup("reason", r.name()).counter("rejected"));
    }
}
