package io.tsflow.rollup.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.pipeline.RollupLevel;
import io.tsflow.rollup.rules.RollupRule;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.runtime.JobConfig;
import io.tsflow.runtime.JobSettings;
import io.tsflow.runtime.StorageSwitch;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollup job's configuration file: the shared {@link JobSettings} and the rollup's own keys.
 *
 * @param storage the Cassandra rollup table switch ({@code storage.enabled}); the key {@code
 *     storageEnabled} is still read, with a warning
 */
public record RollupConfig(
        JobSettings settings,
        RollupTopics topics,
        Duration outOfOrderness,
        Duration idleness,
        Duration forgetAfter,
        List<LevelSettings> levels,
        List<RollupRule> rules,
        StorageSwitch storage,
        Long maxSeriesPerSubtask,
        MiniBatchSettings miniBatch)
        implements JobConfig {

    private static final Logger LOG = LoggerFactory.getLogger(RollupConfig.class);

    public static final String JOB_NAME = "tsflow-rollup";

    @JsonCreator
    public RollupConfig(
            @JacksonInject JobSettings settings,
            @JsonProperty("topics") RollupTopics topics,
            @JsonProperty("outOfOrderness") Duration outOfOrderness,
            @JsonProperty("idleness") Duration idleness,
            @JsonProperty("forgetAfter") Duration forgetAfter,
            @JsonProperty("levels") List<LevelSettings> levels,
            @JsonProperty("rules") List<RollupRule> rules,
            @JsonProperty("storage") StorageSwitch storage,
            @JsonProperty("storageEnabled") Boolean storageEnabled,
            @JsonProperty("maxSeriesPerSubtask") Long maxSeriesPerSubtask,
            @JsonProperty("miniBatch") MiniBatchSettings miniBatch) {
        this(
                settings.named(JOB_NAME),
                topics == null ? RollupTopics.defaults() : topics,
                outOfOrderness,
                idleness,
                forgetAfter,
                levels,
                rules,
                StorageSwitch.withAlias(storage, "storageEnabled", storageEnabled, LOG),
                maxSeriesPerSubtask,
                miniBatch);
    }

    public RollupConfig {
        outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(30) : outOfOrderness;
        idleness = idleness == null ? Duration.ofMinutes(1) : idleness;
        forgetAfter = forgetAfter == null ? Duration.ofDays(1) : forgetAfter;
        levels =
                levels == null
                        ? List.of(
                                new LevelSettings("1m", Duration.ofMinutes(5), Duration.ofDays(90)),
                                new LevelSettings(
                                        "1h", Duration.ofMinutes(10), Duration.ofDays(730)),
                                new LevelSettings("1d", Duration.ofMinutes(10), Duration.ZERO))
                        : List.copyOf(levels);
        rules = rules == null ? List.of() : List.copyOf(rules);
        maxSeriesPerSubtask = maxSeriesPerSubtask == null ? 1_000_000L : maxSeriesPerSubtask;
        miniBatch = miniBatch == null ? MiniBatchSettings.defaults() : miniBatch;
    }

    @Override
    public void validate(String path) {
        validateShared();
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
        miniBatch.validate("miniBatch");
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
}
