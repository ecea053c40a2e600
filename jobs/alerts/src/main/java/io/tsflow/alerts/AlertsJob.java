package io.tsflow.alerts;

import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.alerts.pipeline.AlertsPipeline;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobDefinition;
import io.tsflow.runtime.JobMain;
import io.tsflow.runtime.ObservationsInput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The alerts job: reads {@code observations}, watches the series its rules select for silence,
 * stuck values and values out of range, writes FIRING and RESOLVED to topic {@code alerts} (exactly
 * once, keyed by fingerprint) and delivers them to Alertmanager.
 *
 * <p>Operator uids: {@code observations-source}, {@code split-dead-letters}, {@code watch-series}
 * (timer engine), {@code select-<rule>}, {@code cep-<rule>} and {@code track-cep-matches} (CEP
 * engine), {@code alerts-sink}, {@code alertmanager-sink}, {@code alerts-dead-letter-sink}.
 */
public final class AlertsJob {

    public static final String NAME = AlertsConfig.JOB_NAME;

    /** What {@link JobMain} runs. */
    public static final JobDefinition<AlertsConfig, DecodedObservation> DEFINITION =
            JobDefinition.readingObservations(
                    NAME,
                    "alerts",
                    AlertsConfig.class,
                    JobDefinition::noSchema,
                    (env, config, source) ->
                            defineWorkflow(env, config, source, AlertsSinks.production(config)));

    private AlertsJob() {}

    public static void main(String[] args) throws Exception {
        JobMain.run(args, DEFINITION);
    }

    /** Builds the job graph between a source of observations and the sinks. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            AlertsConfig config,
            Source<DecodedObservation, ?, ?> source,
            AlertsSinks sinks) {
        ObservationsInput.Input input =
                ObservationsInput.read(
                        env,
                        source,
                        new ObservationsInput.Timing(config.outOfOrderness(), config.idleness()));
        AlertsPipeline.Outputs outputs =
                AlertsPipeline.define(
                        input.observations(),
                        config.rules(),
                        config.watchTiming(),
                        config.maxSeriesPerRule());
        input.sinkDeadLetters("alerts", sinks.deadLetters(), outputs.refused());
        outputs.changes().sinkTo(sinks.alerts()).uid("alerts-sink").name("alerts");
        sinks.delivery().attach(outputs.deliveries(), "alertmanager-sink", "Alertmanager");
    }
}
