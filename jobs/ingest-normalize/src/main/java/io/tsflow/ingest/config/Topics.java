package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;

/** The topics the ingest job reads and writes. */
public record Topics(String raw, String observations, String deadLetter)
        implements Validatable, Serializable {

    @JsonCreator
    public Topics(
            @JsonProperty("raw") String raw,
            @JsonProperty("observations") String observations,
            @JsonProperty("deadLetter") String deadLetter) {
        this.raw = raw == null ? "raw" : raw;
        this.observations = observations == null ? "observations" : observations;
        this.deadLetter = deadLetter == null ? "raw-dead-letter" : deadLetter;
    }

    @Override
    public void validate(String path) {
        for (String[] topic :
                new String[][] {
                    {"raw", raw}, {"observations", observations}, {"deadLetter", deadLetter}
                }) {
            ConfigException.require(
                    topic[1].matches("[A-Za-z0-9._-]{1,249}"),
                    Keys.join(path, topic[0]),
                    "is not a valid Kafka topic name");
        }
        ConfigException.require(
                !raw.equals(observations) && !raw.equals(deadLetter),
                Keys.join(path, "raw"),
                "must differ from the output topics");
    }
}
