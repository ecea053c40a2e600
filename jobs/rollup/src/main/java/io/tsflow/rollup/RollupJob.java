package io.tsflow.rollup;

import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.rollup.pipeline.LateObservations;
import io.tsflow.rollup.pipeline.RollupPipeline;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobDefinition;
import io.tsflow.runtime.JobMain;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.rollup.RollupTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rollup job: reads {@code observations}, writes every level's buckets (revisions included) to
 * {@code aggregations} and the Cassandra rollup table, points too late for their bucket to {@code
 * late-observations}, and undecodable records to its dead-letter topic.
 *
 * <p>Operator uids: {@code observations-source}, {@code split-dead-letters}, {@code rollup-runs},
 * {@code rollup-levels}, {@code rollup-publish}, {@code aggregations-sink}, {@code
 * rollup-table-sink}, {@code late-observations-sink}, {@code rollup-dead-letter-sink}.
 */
public final class RollupJob {

    public static final String NAME = RollupConfig.JOB_NAME;

    /** What {@link JobMain} runs. */
    public static final JobDefinition<RollupConfig, DecodedObservation> DEFINITION =
            JobDefinition.readingObservations(
                    NAME,
                    "rollup",
                    RollupConfig.class,
                    config -> RollupTable.applySchema(config.cassandra()),
                    (env, config, source) ->
                            defineWorkflow(env, config, source, RollupSinks.production(config)));

    private RollupJob() {}

    public static void main(String[] args) throws Exception {
        JobMain.run(args, DEFINITION);
    }

    /** Builds the job graph between a source of observations and the sinks. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            RollupConfig config,
            Source<DecodedObservation, ?, ?> source,
            RollupSinks sinks) {
        // Each series keeps its own time (SeriesRollup): the input needs no watermark.
        ObservationsInput.Input input =
                ObservationsInput.read(env, source, ObservationsInput.Timing.none());
        RollupPipeline.Outputs outputs =
                RollupPipeline.define(
                        input.observations(),
                        config.rollupLevels(),
                        config.rollupRules(),
                        config.seriesTiming(),
                        config.maxSeriesPerSubtask(),
                        config.miniBatch().miniBatch());
        outputs.aggregations()
                .sinkTo(sinks.aggregations())
                .uid("aggregations-sink")
                .name("aggregations");
        List<DataStream<Rejected>> refused = new ArrayList<>();
        refused.add(outputs.refused());
        refused.addAll(
                sinks.storage()
                        .attach(outputs.aggregations(), "rollup-table-sink", "Cassandra rollups"));
        input.sinkDeadLetters("rollup", sinks.deadLetters(), refused);
        outputs.tooLate()
                .map(new LateObservations(config.rollupLevels().get(0)))
                .uid("late-observations")
                .name("late observations")
                .sinkTo(sinks.lateObservations())
                .uid("late-observations-sink")
                .name("late-observations");
    }
}
