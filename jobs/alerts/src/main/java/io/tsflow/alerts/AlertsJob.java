package io.tsflow.alerts;

import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.alerts.delivery.AlertmanagerSink;
import io.tsflow.alerts.pipeline.AlertsPipeline;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobArguments;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Rejected;
import org.apache.flink.api.connector.sink2.Sink;
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

    public static final String NAME = "tsflow-alerts";

    private AlertsJob() {}

    public static void main(String[] args) throws Exception {
        JobArguments arguments = JobArguments.parse(NAME, args);
        AlertsConfig config = ConfigLoader.load(arguments.config(), AlertsConfig.class);
        if (arguments.applySchemaOnly()) {
            return; // nothing to create in Cassandra
        }
        StreamExecutionEnvironment env = JobEnvironment.checkedProduction(config);
        defineWorkflow(env, config, observationsSource(config));
        env.execute(NAME);
    }

    public static Source<DecodedObservation, ?, ?> observationsSource(AlertsConfig config) {
        return ObservationsInput.source(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("observations"),
                config.consumerGroup(),
                "alerts");
    }

    /** The production graph from {@code source}: sinks built from the configuration. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            AlertsConfig config,
            Source<DecodedObservation, ?, ?> source) {
        defineWorkflow(
                env,
                config,
                source,
                alertsSink(config),
                config.alertmanager().enabled()
                        ? new AlertmanagerSink(config.alertmanager())
                        : null,
                deadLetterSink(config));
    }

    /**
     * Builds the job graph between a source of raw records and the sinks (delivery may be null).
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            AlertsConfig config,
            Source<DecodedObservation, ?, ?> source,
            Sink<Alert> alerts,
            Sink<Alert> delivery,
            Sink<Rejected> deadLetters) {
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
        input.sinkDeadLetters("alerts", deadLetters, outputs.refused());
        outputs.changes().sinkTo(alerts).uid("alerts-sink").name("alerts");
        if (delivery != null) {
            outputs.deliveries().sinkTo(delivery).uid("alertmanager-sink").name("Alertmanager");
        }
    }

    public static Sink<Alert> alertsSink(AlertsConfig config) {
        return KafkaConnectors.exactlyOnceAvroSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("alerts"),
                Alert.class,
                Alert::getFingerprint,
                config.transactionalIdPrefix() + "-alerts");
    }

    public static Sink<Rejected> deadLetterSink(AlertsConfig config) {
        return ObservationsInput.rejectedSink(
                config.kafka(),
                config.schemaRegistry(),
                config.topic("deadLetter"),
                config.transactionalIdPrefix() + "-dead-letter");
    }
}
