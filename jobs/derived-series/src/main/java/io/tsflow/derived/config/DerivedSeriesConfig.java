package io.tsflow.derived.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.derived.rules.DependencyCheck;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.runtime.JobConfig;
import io.tsflow.runtime.JobSettings;
import io.tsflow.storage.raw.StorageSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The derived-series job's configuration file: the shared {@link JobSettings} and the job's own
 * keys.
 */
public record DerivedSeriesConfig(
        JobSettings settings,
        DerivedTopics topics,
        StorageSettings storage,
        Duration outOfOrderness,
        Duration idleness,
        Duration forgetAfter,
        List<DerivedRule> rules)
        implements JobConfig {

    public static final String JOB_NAME = "tsflow-derived-series";

    @JsonCreator
    public DerivedSeriesConfig(
            @JacksonInject JobSettings settings,
            @JsonProperty("topics") DerivedTopics topics,
            @JsonProperty("storage") StorageSettings storage,
            @JsonProperty("outOfOrderness") Duration outOfOrderness,
            @JsonProperty("idleness") Duration idleness,
            @JsonProperty("forgetAfter") Duration forgetAfter,
            @JsonProperty("rules") List<DerivedRule> rules) {
        this.settings = settings.named(JOB_NAME);
        this.topics = topics == null ? DerivedTopics.defaults() : topics;
        this.storage = storage == null ? StorageSettings.defaults() : storage;
        this.outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(5) : outOfOrderness;
        this.idleness = idleness == null ? Duration.ofSeconds(30) : idleness;
        this.forgetAfter = forgetAfter == null ? Duration.ofDays(1) : forgetAfter;
        this.rules = rules == null ? List.of() : List.copyOf(rules);
    }

    @Override
    public void validate(String path) {
        validateShared();
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
}
