package io.tsflow.derived;

import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.derived.pipeline.DerivedPipeline;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobDefinition;
import io.tsflow.runtime.JobMain;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.raw.RawTable;
import java.util.ArrayList;
import java.util.List;
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

    public static final String NAME = DerivedSeriesConfig.JOB_NAME;

    /** What {@link JobMain} runs. */
    public static final JobDefinition<DerivedSeriesConfig, DecodedObservation> DEFINITION =
            JobDefinition.readingObservations(
                    NAME,
                    "derived-series",
                    DerivedSeriesConfig.class,
                    config -> RawTable.applySchema(config.cassandra()),
                    (env, config, source) ->
                            defineWorkflow(
                                    env, config, source, DerivedSeriesSinks.production(config)));

    private DerivedSeriesJob() {}

    public static void main(String[] args) throws Exception {
        JobMain.run(args, DEFINITION);
    }

    /** Builds the job graph between a source of observations and the sinks. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            DerivedSeriesConfig config,
            Source<DecodedObservation, ?, ?> source,
            DerivedSeriesSinks sinks) {
        // Each derived series keeps time from its inputs' (StepAligner): no watermark is needed.
        ObservationsInput.Input input =
                ObservationsInput.read(env, source, ObservationsInput.Timing.none());
        DerivedPipeline.Outputs outputs =
                DerivedPipeline.define(input.observations(), config.rules(), config.seriesTiming());
        DataStream<Observation> points = outputs.derived();
        points.sinkTo(sinks.derived())
                .uid("derived-observations-sink")
                .name("derived observations");
        List<DataStream<Rejected>> refused = new ArrayList<>();
        refused.add(outputs.refused());
        refused.addAll(sinks.storage().attach(points, "raw-table-sink", "Cassandra raw table"));
        input.sinkDeadLetters("derived-series", sinks.deadLetters(), refused);
    }
}
