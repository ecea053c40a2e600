package io.tsflow.alerts;

import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.alerts.delivery.AlertmanagerSink;
import io.tsflow.runtime.JobSinks;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Rejected;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the alerts job's outputs go: FIRING and RESOLVED to topic {@code alerts} (exactly once,
 * keyed by fingerprint), the same to Alertmanager, dead letters to their topic.
 */
public record AlertsSinks(
        Sink<Alert> alerts, SinkApplier<Alert> delivery, Sink<Rejected> deadLetters) {

    /** The sinks the configuration names; Alertmanager only where it is enabled. */
    public static AlertsSinks production(AlertsConfig config) {
        return new AlertsSinks(
                alertsSink(config),
                config.alertmanager().enabled()
                        ? SinkApplier.of(new AlertmanagerSink(config.alertmanager()))
                        : SinkApplier.none(),
                JobSinks.deadLetters(config));
    }

    public static Sink<Alert> alertsSink(AlertsConfig config) {
        return JobSinks.avro(
                config, config.topics().alerts(), Alert.class, Alert::getFingerprint, "-alerts");
    }
}
