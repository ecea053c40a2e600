package io.tsflow.alerts.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.alerts.delivery.AlertmanagerSettings;
import io.tsflow.alerts.pipeline.WatchTiming;
import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.config.ConfigException;
import io.tsflow.runtime.JobConfig;
import io.tsflow.runtime.JobSettings;
import io.tsflow.runtime.StorageSwitch;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The alerts job's configuration file: the shared {@link JobSettings} and the alerts' own keys. */
public record AlertsConfig(
        JobSettings settings,
        AlertsTopics topics,
        Duration outOfOrderness,
        Duration idleness,
        BacklogSettings backlog,
        AlertmanagerSettings alertmanager,
        List<AlertRule> rules,
        Long maxSeriesPerRule)
        implements JobConfig {

    public static final String JOB_NAME = "tsflow-alerts";

    @JsonCreator
    public AlertsConfig(
            @JacksonInject JobSettings settings,
            @JsonProperty("topics") AlertsTopics topics,
            @JsonProperty("outOfOrderness") Duration outOfOrderness,
            @JsonProperty("idleness") Duration idleness,
            @JsonProperty("backlog") BacklogSettings backlog,
            @JsonProperty("alertmanager") AlertmanagerSettings alertmanager,
            @JsonProperty("rules") List<AlertRule> rules,
            @JsonProperty("maxSeriesPerRule") Long maxSeriesPerRule) {
        this.settings = settings.named(JOB_NAME);
        this.topics = topics == null ? AlertsTopics.defaults() : topics;
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

    /** The alerts job never connects to Cassandra. */
    @Override
    public StorageSwitch storage() {
        return StorageSwitch.OFF;
    }

    @Override
    public JobSettings.CassandraUse cassandraUse() {
        return JobSettings.CassandraUse.NONE;
    }

    @Override
    public void validate(String path) {
        validateShared();
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
}
