package io.tsflow.rollup.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Validatable;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.rollup.pipeline.RollupLevel;
import io.tsflow.rollup.rules.RollupRule;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.runtime.CheckpointSettings;
import io.tsflow.runtime.ConnectionSections;
import io.tsflow.runtime.JobConnections;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rollup job's configuration file. */
public record RollupConfig(
        KafkaSettings kafka,
        RegistrySettings schemaRegistry,
        CassandraSettings cassandra,
        CheckpointSettings checkpoints,
        Map<String, String> topics,
        String consumerGroup,
        String transactionalIdPrefix,
        Duration outOfOrderness,
        Duration idleness,
        Duration forgetAfter,
        List<LevelSettings> levels,
        List<RollupRule> rules,
        Boolean storageEnabled,
        Long maxSeriesPerSubtask)
        implements Validatable, Serializable, JobConnections {

    @JsonCreator
    public RollupConfig(
            @JsonProperty("kafka") KafkaSettings kafka,
            @JsonProperty("schemaRegistry") RegistrySettings schemaRegistry,
            @JsonProperty("cassandra") CassandraSettings cassandra,
            @JsonProperty("checkpoints") CheckpointSettings checkpoints,
            @JsonProperty("topics") Map<String, String> topics,
            @JsonProperty("consumerGroup") String consumerGroup,
            @JsonProperty("transactionalIdPrefix") String transactionalIdPrefix,
            @JsonProperty("outOfOrderness") Duration outOfOrderness,
            @JsonProperty("idleness") Duration idleness,
            @JsonProperty("forgetAfter") Duration forgetAfter,
            @JsonProperty("levels") List<LevelSettings> levels,
            @JsonProperty("rules") List<RollupRule> rules,
            @JsonProperty("storageEnabled") Boolean storageEnabled,
            @JsonProperty("maxSeriesPerSubtask") Long maxSeriesPerSubtask) {
        this.kafka = kafka;
        this.schemaRegistry = schemaRegistry;
        this.cassandra = cassandra;
        this.checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
        this.topics =
                Map.of(
                        "observations", topic(topics, "observations", "observations"),
                        "aggregations", topic(topics, "aggregations", "aggregations"),
                        "lateObservations", topic(topics, "lateObservations", "late-observations"),
                        "deadLetter", topic(topics, "deadLetter", "observations-dead-letter"));
        this.consumerGroup = consumerGroup == null ? "tsflow-rollup" : consumerGroup;
        this.transactionalIdPrefix =
                transactionalIdPrefix == null ? "tsflow-rollup" : transactionalIdPrefix;
        this.outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(30) : outOfOrderness;
        this.idleness = idleness == null ? Duration.ofMinutes(1) : idleness;
        this.forgetAfter = forgetAfter == null ? Duration.ofDays(1) : forgetAfter;
        this.levels =
                levels == null
                        ? List.of(
                                new LevelSettings("1m", Duration.ofMinutes(5), Duration.ofDays(90)),
                                new LevelSettings(
                                        "1h", Duration.ofMinutes(10), Duration.ofDays(730)),
                                new LevelSettings("1d", Duration.ofMinutes(10), Duration.ZERO))
                        : List.copyOf(levels);
        this.rules = rules == null ? List.of() : List.copyOf(rules);
        this.storageEnabled = storageEnabled == null || storageEnabled;
        this.maxSeriesPerSubtask = maxSeriesPerSubtask == null ? 1_000_000L : maxSeriesPerSubtask;
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
                kafka, schemaRegistry, cassandra, storageEnabled, "storageEnabled", checkpoints);
        ConfigException.require(!levels.isEmpty(), "levels", "needs at least one interval");
        for (int i = 0; i < levels.size(); i++) {
            levels.get(i).validate("levels[" + i + "]");
        }
        Set<String> levelIntervals = new LinkedHashSet<>();
        levels.forEach(level -> levelIntervals.add(level.interval()));
        for (int i = 0; i < rules.size(); i++) {
            rules.get(i).validate("rules[" + i + "]", levelIntervals);
        }
        try {
            io.tsflow.rollup.pipeline.RollupPipeline.checkLevels(rollupLevels());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("levels: " + e.getMessage());
        }
        seriesTiming();
        ConfigException.require(
                maxSeriesPerSubtask >= 1, "maxSeriesPerSubtask", "must be at least 1");
    }

    /** When each series' buckets close: its own clock, and its silence. */
    public SeriesTiming seriesTiming() {
        return SeriesTiming.configured(outOfOrderness, idleness, forgetAfter);
    }

    public List<RollupLevel> rollupLevels() {
        return levels.stream().map(LevelSettings::level).toList();
    }

    public RollupRules rollupRules() {
        return new RollupRules(rules);
    }

    public String topic(String name) {
        return topics.get(name);
    }
}
