package io.tsflow.derived.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.runtime.JobTopics;
import io.tsflow.runtime.TopicNames;
import java.util.Map;

/**
 * The topics the derived-series job reads and writes: it reads {@code observations} and writes the
 * derived points back to it.
 */
public record DerivedTopics(String observations, String deadLetter) implements JobTopics {

    @JsonCreator
    public DerivedTopics(
            @JsonProperty("observations") String observations,
            @JsonProperty("deadLetter") String deadLetter) {
        this.observations = observations == null ? "observations" : observations;
        this.deadLetter = deadLetter == null ? "observations-dead-letter" : deadLetter;
    }

    static DerivedTopics defaults() {
        return new DerivedTopics(null, null);
    }

    @Override
    public Map<String, String> byKey() {
        return TopicNames.inOrder("observations", observations, "deadLetter", deadLetter);
    }
}
