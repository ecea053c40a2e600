package io.tsflow.alerts.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.runtime.JobTopics;
import io.tsflow.runtime.TopicNames;
import java.util.Map;

/** The topics the alerts job reads and writes. */
public record AlertsTopics(String observations, String alerts, String deadLetter)
        implements JobTopics {

    @JsonCreator
    public AlertsTopics(
            @JsonProperty("observations") String observations,
            @JsonProperty("alerts") String alerts,
            @JsonProperty("deadLetter") String deadLetter) {
        this.observations = observations == null ? "observations" : observations;
        this.alerts = alerts == null ? "alerts" : alerts;
        this.deadLetter = deadLetter == null ? "observations-dead-letter" : deadLetter;
    }

    static AlertsTopics defaults() {
        return new AlertsTopics(null, null, null);
    }

    @Override
    public Map<String, String> byKey() {
        return TopicNames.inOrder(
                "observations", observations, "alerts", alerts, "deadLetter", deadLetter);
    }
}
