package io.tsflow.ingest.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.common.types.ValueTypes;
import io.tsflow.connectors.kafka.RawRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.format.AvroMessageParser;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.Rejected;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's one processing step: each raw record becomes observations (main output) and dead-letter
 * records (side output {@link #REJECTED}). Stateless.
 *
 * <p>Metrics, in group {@code tsflow}: {@code recordsIn}, {@code observationsOut}, {@code
 * pointsRejected}, {@code recordsRejected} (rejected whole), and {@code rejected} per {@code
 * reason} label.
 */
public class ParseAndNormalize extends ProcessFunction<RawRecord, Observation> {

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

    @Override
    public void open(OpenContext openContext) {
        ClassLoader classLoader = getRuntimeContext().getUserCodeClassLoader();
        processor =
                new RecordProcessor(
                        rules,
                        ValueTypes.discover(classLoader),
                        new AvroMessageParser(
                                new ConfluentAvroDecoder<>(
                                        new SchemaRegistryClient(registry),
                                        RawMessage.getClassSchema())));
        metrics = getRuntimeContext().getMetricGroup().addGroup("tsflow");
        recordsIn = metrics.counter("recordsIn");
        observationsOut = metrics.counter("observationsOut");
        pointsRejected = metrics.counter("pointsRejected");
        recordsRejected = metrics.counter("recordsRejected");
        rejectedByReason = new EnumMap<>(RejectReason.class);
    }

    @Override
    public void processElement(RawRecord record, Context context, Collector<Observation> out)
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
