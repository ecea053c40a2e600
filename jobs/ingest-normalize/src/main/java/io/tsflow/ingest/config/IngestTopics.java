package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.runtime.JobTopics;
import io.tsflow.runtime.TopicNames;
import java.util.Map;

/** The topics the ingest job reads and writes. */
public record IngestTopics(String raw, String observations, String deadLetter)
        implements JobTopics {

    @JsonCreator
    public IngestTopics(
            @JsonProperty("raw") String raw,
            @JsonProperty("observations") String observations,
            @JsonProperty("deadLetter") String deadLetter) {
        this.raw = raw == null ? "raw" : raw;
        this.observations = observations == null ? "observations" : observations;
        this.deadLetter = deadLetter == null ? "raw-dead-letter" : deadLetter;
    }

    @Override
    public Map<String, String> byKey() {
        return TopicNames.inOrder(
                "raw", raw, "observations", observations, "deadLetter", deadLetter);
    }
}
