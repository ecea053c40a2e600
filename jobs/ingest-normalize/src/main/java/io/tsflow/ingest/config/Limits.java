package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;

/** Size limits on input, documented in docs/jobs/ingest-normalize.md, "Validation rules". */
public record Limits(
        Integer maxRecordBytes,
        Integer maxJsonDepth,
        Integer maxMetricLength,
        Integer maxTags,
        Integer maxTagKeyLength,
        Integer maxTagValueLength,
        Integer maxTextBytes,
        Integer maxBinaryBytes,
        Integer maxDeadLetterOriginalBytes)
        implements Validatable, Serializable {

    @JsonCreator
    public Limits(
            @JsonProperty("maxRecordBytes") Integer maxRecordBytes,
            @JsonProperty("maxJsonDepth") Integer maxJsonDepth,
            @JsonProperty("maxMetricLength") Integer maxMetricLength,
            @JsonProperty("maxTags") Integer maxTags,
            @JsonProperty("maxTagKeyLength") Integer maxTagKeyLength,
            @JsonProperty("maxTagValueLength") Integer maxTagValueLength,
            @JsonProperty("maxTextBytes") Integer maxTextBytes,
            @JsonProperty("maxBinaryBytes") Integer maxBinaryBytes,
            @JsonProperty("maxDeadLetterOriginalBytes") Integer maxDeadLetterOriginalBytes) {
        this.maxRecordBytes = orDefault(maxRecordBytes, 4 * 1024 * 1024);
        this.maxJsonDepth = orDefault(maxJsonDepth, 16);
        this.maxMetricLength = orDefault(maxMetricLength, 200);
        this.maxTags = orDefault(maxTags, 32);
        this.maxTagKeyLength = orDefault(maxTagKeyLength, 64);
        this.maxTagValueLength = orDefault(maxTagValueLength, 256);
        this.maxTextBytes = orDefault(maxTextBytes, 64 * 1024);
        this.maxBinaryBytes = orDefault(maxBinaryBytes, 256 * 1024);
        this.maxDeadLetterOriginalBytes = orDefault(maxDeadLetterOriginalBytes, 256 * 1024);
    }

    public static Limits defaults() {
        return new Limits(null, null, null, null, null, null, null, null, null);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    @Override
    public void validate(String path) {
        range(path, "maxRecordBytes", maxRecordBytes, 1024, 64 * 1024 * 1024);
        range(path, "maxJsonDepth", maxJsonDepth, 4, 256);
        range(path, "maxMetricLength", maxMetricLength, 1, 4096);
        range(path, "maxTags", maxTags, 0, 1000);
        range(path, "maxTagKeyLength", maxTagKeyLength, 1, 1024);
        range(path, "maxTagValueLength", maxTagValueLength, 1, 65536);
        range(path, "maxTextBytes", maxTextBytes, 1, 16 * 1024 * 1024);
        range(path, "maxBinaryBytes", maxBinaryBytes, 1, 16 * 1024 * 1024);
        range(path, "maxDeadLetterOriginalBytes", maxDeadLetterOriginalBytes, 64, 16 * 1024 * 1024);
    }

    private static void range(String path, String key, int value, int min, int max) {
        ConfigException.require(
                value >= min && value <= max,
                Keys.join(path, key),
                "must be between " + min + " and " + max + ", got " + value);
    }
}
