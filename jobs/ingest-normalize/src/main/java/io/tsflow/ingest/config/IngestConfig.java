package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.connectors.cassandra.CassandraLimits;
import io.tsflow.runtime.JobConfig;
import io.tsflow.runtime.JobSettings;
import io.tsflow.storage.raw.StorageSettings;

/**
 * The ingest-normalize job's configuration file: the shared {@link JobSettings} and the ingest's
 * own keys.
 */
public record IngestConfig(
        JobSettings settings, IngestTopics topics, StorageSettings storage, IngestRules ingest)
        implements JobConfig {

    public static final String JOB_NAME = "tsflow-ingest-normalize";

    @JsonCreator
    public IngestConfig(
            @JacksonInject JobSettings settings,
            @JsonProperty("topics") IngestTopics topics,
            @JsonProperty("storage") StorageSettings storage,
            @JsonProperty("ingest") IngestRules ingest) {
        this.settings = settings.named(JOB_NAME);
        this.topics = topics == null ? new IngestTopics(null, null, null) : topics;
        this.storage = storage == null ? StorageSettings.defaults() : storage;
        this.ingest = ingest == null ? IngestRules.defaults() : ingest;
    }

    @Override
    public void validate(String path) {
        validateShared();
        storage.validate("storage");
        ingest.validate("ingest");
        fitsTheStores(ingest.limits(), "ingest.limits");
    }

    /**
     * The limits must let every accepted point be written: its series key within Cassandra's
     * partition key size, its observation and any dead letter within a Kafka record.
     */
    private void fitsTheStores(Limits limits, String path) {
        // At most 3 UTF-8 bytes per character; an escaped character takes two ASCII bytes.
        long keyBytes =
                3L
                        * (limits.maxMetricLength()
                                + 2
                                + (long) limits.maxTags()
                                        * (limits.maxTagKeyLength()
                                                + limits.maxTagValueLength()
                                                + 4));
        ConfigException.require(
                keyBytes <= CassandraLimits.MAX_PARTITION_KEY_BYTES - 64,
                path,
                "a series key can reach "
                        + keyBytes
                        + " bytes with maxMetricLength, maxTags, maxTagKeyLength and"
                        + " maxTagValueLength: above Cassandra's partition key limit of 64 KiB");
        // A record carries the key twice (record key and seriesKey), the tags and the value.
        long largestRecord =
                2 * keyBytes
                        + Math.max(
                                Math.max(limits.maxTextBytes(), limits.maxBinaryBytes()),
                                limits.maxDeadLetterOriginalBytes())
                        + 16 * 1024;
        ConfigException.require(
                largestRecord <= kafka().maxRequestBytes(),
                path,
                "a record can reach "
                        + largestRecord
                        + " bytes with these limits, above the Kafka producers' max.request.size of"
                        + " "
                        + kafka().maxRequestBytes()
                        + " (set kafka.properties.max.request.size, and the topics'"
                        + " max.message.bytes, or lower maxTextBytes, maxBinaryBytes,"
                        + " maxDeadLetterOriginalBytes)");
    }
}
