package io.tsflow.derived;

import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.derived.pipeline.DerivedPipeline;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobArguments;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.runtime.StorageSinks;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.raw.RawTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The derived-series job: reads {@code observations}, computes the configured derived series and
 * writes them back to {@code observations} (exactly once, keyed by series, origin {@code DERIVED},
 * {@code derivedBy} the rule), so the other jobs roll them up and watch them like measured ones,
 * and into the Cassandra raw table beside the measured points (ingest stores only what it reads
 * from {@code raw}).
 *
 * <p>Operator uids: {@code observations-source}, {@code split-dead-letters}, {@code
 * route-to-rules}, {@code align-steps}, {@code derived-observations-sink}, {@code raw-table-sink},
 * {@code derived-series-dead-letter-sink}.
 */
public final class DerivedSeriesJob {

    public static final String NAME = "tsflow-derived-series";

    private DerivedSeriesJob() {}

    public static void main(String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(NAME, args);
        DerivedSeriesConfig config =
                ConfigLoader.load(arguments.config(), DerivedSeriesConfig.class);
        if (config.storage().enabled()) {
            RawTable.applySchema(config.cassandra());
        }
        if (arguments.applySchemaOnly()) {
            return;
        }
        StreamExecutionEnvironment env = JobEnvironment.checkedProduction(config);
        defineWorkflow(env, config, observationsSource(config));
        env.execute(NAME);
    }

    public static Source<DecodedObservation, ?, ?> observationsSource(DerivedSeriesConfig config) {
        return ObservationsInput.source(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("observations"),
                config.consumerGroup(),
                "derived-series");
    }

    /** The production graph from {@code source}: sinks built from the configuration. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            DerivedSeriesConfig config,
            Source<DecodedObservation, ?, ?> source) {
        defineWorkflow(
                env,
                config,
                source,
                derivedSink(config),
                config.storage().enabled()
                        ? RawTable.sink(config.cassandra(), config.storage(), "derived-series")
                        : null,
                deadLetterSink(config));
    }

    /** Builds the job graph between a source of raw records and the sinks (storage may be null). */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            DerivedSeriesConfig config,
            Source<DecodedObservation, ?, ?> source,
            Sink<Observation> derived,
            Sink<Observation> storage,
            Sink<Rejected> deadLetters) {
        // Each derived series keeps time from its inputs' (StepAligner): no watermark is needed.
        ObservationsInput.Input input =
                ObservationsInput.read(env, source, ObservationsInput.Timing.none());
        DerivedPipeline.Outputs outputs =
                DerivedPipeline.define(input.observations(), config.rules(), config.seriesTiming());
        DataStream<Observation> points = outputs.derived();
        points.sinkTo(derived).uid("derived-observations-sink").name("derived observations");
        List<DataStream<Rejected>> refused = new ArrayList<>();
        refused.add(outputs.refused());
        refused.addAll(
                StorageSinks.attach(points, storage, "raw-table-sink", "Cassandra raw table"));
        input.sinkDeadLetters("derived-series", deadLetters, refused);
    }

    public static Sink<Observation> derivedSink(DerivedSeriesConfig config) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("observations"),
                Observation.class,
                Observation::getSeriesKey,
                config.transactionalIdPrefix() + "-observations");
    }

    public static Sink<Rejected> deadLetterSink(DerivedSeriesConfig config) {
        return ObservationsInput.rejectedSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("deadLetter"),
                config.transactionalIdPrefix() + "-dead-letter");
    }
}
