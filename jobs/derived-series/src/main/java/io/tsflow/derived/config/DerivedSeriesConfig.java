package io.tsflow.derived.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Validatable;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.derived.rules.DependencyCheck;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.runtime.CheckpointSettings;
import io.tsflow.runtime.ConnectionSections;
import io.tsflow.runtime.JobConnections;
import io.tsflow.storage.raw.StorageSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The derived-series job's configuration file (README, "Derived series configuration"). */
public record DerivedSeriesConfig(
        KafkaSettings kafka,
        RegistrySettings schemaRegistry,
        CassandraSettings cassandra,
        StorageSettings storage,
        CheckpointSettings checkpoints,
        Map<String, String> topics,
        String consumerGroup,
        String transactionalIdPrefix,
        Duration outOfOrderness,
        Duration idleness,
        Duration forgetAfter,
        List<DerivedRule> rules)
        implements Validatable, Serializable, JobConnections {

    @JsonCreator
    public DerivedSeriesConfig(
            @JsonProperty("kafka") KafkaSettings kafka,
            @JsonProperty("schemaRegistry") RegistrySettings schemaRegistry,
            @JsonProperty("cassandra") CassandraSettings cassandra,
            @JsonProperty("storage") StorageSettings storage,
            @JsonProperty("checkpoints") CheckpointSettings checkpoints,
            @JsonProperty("topics") Map<String, String> topics,
            @JsonProperty("consumerGroup") String consumerGroup,
            @JsonProperty("transactionalIdPrefix") String transactionalIdPrefix,
            @JsonProperty("outOfOrderness") Duration outOfOrderness,
            @JsonProperty("idleness") Duration idleness,
            @JsonProperty("forgetAfter") Duration forgetAfter,
            @JsonProperty("rules") List<DerivedRule> rules) {
        this.kafka = kafka;
        this.schemaRegistry = schemaRegistry;
        this.cassandra = cassandra;
        this.storage = storage == null ? StorageSettings.defaults() : storage;
        this.checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
        this.topics =
                Map.of(
                        "observations", topic(topics, "observations", "observations"),
                        "deadLetter", topic(topics, "deadLetter", "observations-dead-letter"));
        this.consumerGroup = consumerGroup == null ? "tsflow-derived-series" : consumerGroup;
        this.transactionalIdPrefix =
                transactionalIdPrefix == null ? "tsflow-derived-series" : transactionalIdPrefix;
        this.outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(5) : outOfOrderness;
        this.idleness = idleness == null ? Duration.ofSeconds(30) : idleness;
        this.forgetAfter = forgetAfter == null ? Duration.ofDays(1) : forgetAfter;
        this.rules = rules == null ? List.of() : List.copyOf(rules);
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
        ConnectionSections.validate(
                kafka,
                schemaRegistry,
                cassandra,
                storage.enabled(),
                "storage.enabled",
                checkpoints);
        storage.validate("storage");
        ConfigException.require(!rules.isEmpty(), "rules", "needs at least one derived rule");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            DerivedRule rule = rules.get(i);
            rule.validate("rules[" + i + "]");
            ConfigException.require(
                    names.add(rule.name()),
                    "rules[" + i + "].name",
                    "'" + rule.name() + "' is used by an earlier rule (names key the job's state)");
        }
        DependencyCheck.refuseCycles(rules);
        seriesTiming();
    }

    /** How each derived series keeps time from its inputs'. */
    public SeriesTiming seriesTiming() {
        return SeriesTiming.configured(outOfOrderness, idleness, forgetAfter);
    }

    public String topic(String name) {
        return topics.get(name);
    }
}
