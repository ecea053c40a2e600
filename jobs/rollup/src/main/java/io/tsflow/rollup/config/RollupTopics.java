package io.tsflow.rollup.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.runtime.JobTopics;
import io.tsflow.runtime.TopicNames;
import java.util.Map;

/** The topics the rollup job reads and writes. */
public record RollupTopics(
        String observations, String aggregations, String lateObservations, String deadLetter)
        implements JobTopics {

    @JsonCreator
    public RollupTopics(
            @JsonProperty("observations") String observations,
            @JsonProperty("aggregations") String aggregations,
            @JsonProperty("lateObservations") String lateObservations,
            @JsonProperty("deadLetter") String deadLetter) {
        this.observations = observations == null ? "observations" : observations;
        this.aggregations = aggregations == null ? "aggregations" : aggregations;
        this.lateObservations = lateObservations == null ? "late-observations" : lateObservations;
        this.deadLetter = deadLetter == null ? "observations-dead-letter" : deadLetter;
    }

    static RollupTopics defaults() {
        return new RollupTopics(null, null, null, null);
    }

    @Override
    public Map<String, String> byKey() {
        return TopicNames.inOrder(
                "observations",
                observations,
                "aggregations",
                aggregations,
                "lateObservations",
                lateObservations,
                "deadLetter",
                deadLetter);
    }
}
