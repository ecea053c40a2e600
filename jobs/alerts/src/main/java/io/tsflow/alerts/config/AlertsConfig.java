package io.tsflow.alerts.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.alerts.delivery.AlertmanagerSettings;
import io.tsflow.alerts.pipeline.WatchTiming;
import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.runtime.CheckpointSettings;
import io.tsflow.runtime.ConnectionSections;
import io.tsflow.runtime.JobConnections;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The alerts job's configuration file (README, "Alerts configuration"). */
public record AlertsConfig(
        KafkaSettings kafka,
        RegistrySettings schemaRegistry,
        CheckpointSettings checkpoints,
        Map<String, String> topics,
        String consumerGroup,
        String transactionalIdPrefix,
        Duration outOfOrderness,
        Duration idleness,
        BacklogSettings backlog,
        AlertmanagerSettings alertmanager,
        List<AlertRule> rules,
        Long maxSeriesPerRule)
        implements Validatable, Serializable, JobConnections {

    @JsonCreator
    public AlertsConfig(
            @JsonProperty("kafka") KafkaSettings kafka,
            @JsonProperty("schemaRegistry") RegistrySettings schemaRegistry,
            @JsonProperty("checkpoints") CheckpointSettings checkpoints,
            @JsonProperty("topics") Map<String, String> topics,
            @JsonProperty("consumerGroup") String consumerGroup,
            @JsonProperty("transactionalIdPrefix") String transactionalIdPrefix,
            @JsonProperty("outOfOrderness") Duration outOfOrderness,
            @JsonProperty("idleness") Duration idleness,
            @JsonProperty("backlog") BacklogSettings backlog,
            @JsonProperty("alertmanager") AlertmanagerSettings alertmanager,
            @JsonProperty("rules") List<AlertRule> rules,
            @JsonProperty("maxSeriesPerRule") Long maxSeriesPerRule) {
        this.kafka = kafka;
        this.schemaRegistry = schemaRegistry;
        this.checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
        this.topics =
                Map.of(
                        "observations", topic(topics, "observations", "observations"),
                        "alerts", topic(topics, "alerts", "alerts"),
                        "deadLetter", topic(topics, "deadLetter", "observations-dead-letter"));
        this.consumerGroup = consumerGroup == null ? "tsflow-alerts" : consumerGroup;
        this.transactionalIdPrefix =
                transactionalIdPrefix == null ? "tsflow-alerts" : transactionalIdPrefix;
        this.outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(5) : outOfOrderness;
        this.idleness = idleness == null ? Duration.ofSeconds(30) : idleness;
        this.backlog = backlog == null ? BacklogSettings.defaults() : backlog;
        this.alertmanager =
                alertmanager == null
                        ? new AlertmanagerSettings(false, null, null, null, null, null, null, null)
                        : alertmanager;
        this.rules = rules == null ? List.of() : List.copyOf(rules);
        this.maxSeriesPerRule = maxSeriesPerRule == null ? 100_000L : maxSeriesPerRule;
    }

    private static String topic(Map<String, String> topics, String key, String fallback) {
        return topics == null ? fallback : topics.getOrDefault(key, fallback);
    }

    @Override
    public Collection<String> topicNames() {
        return topics.values();
    }

    @Override
    public void validate(String path) {
        ConnectionSections.validate(kafka, schemaRegistry, null, false, "", checkpoints);
        backlog.validate("backlog");
        alertmanager.validate("alertmanager");
        ConfigException.require(!rules.isEmpty(), "rules", "needs at least one alert rule");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            AlertRule rule = rules.get(i);
            rule.validate("rules[" + i + "]");
            ConfigException.require(
                    names.add(rule.name()),
                    "rules[" + i + "].name",
                    "'" + rule.name() + "' is used by an earlier rule (names key the job's state)");
        }
        ConfigException.require(maxSeriesPerRule >= 1, "maxSeriesPerRule", "must be at least 1");
        ConfigException.require(
                backlog.maxLag().compareTo(outOfOrderness) > 0,
                "backlog.maxLag",
                "must be longer than outOfOrderness ("
                        + outOfOrderness
                        + "), or the watermark"
                        + " of a job that keeps up would count as lagging");
    }

    public WatchTiming watchTiming() {
        return new WatchTiming(
                alertmanager.resendEvery(),
                backlog.maxLag(),
                backlog.startupGrace(),
                backlog.activeWithin(),
                backlog.recheckEvery());
    }

    public String topic(String name) {
        return topics.get(name);
    }
}
