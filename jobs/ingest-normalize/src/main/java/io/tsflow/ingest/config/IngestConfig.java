package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraLimits;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.runtime.CheckpointSettings;
import io.tsflow.runtime.ConnectionSections;
import io.tsflow.runtime.JobConnections;
import io.tsflow.storage.raw.StorageSettings;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/**
 * The ingest-normalize job's configuration file; README "Configuration reference" documents every
 * key.
 */
public record IngestConfig(
        KafkaSettings kafka,
        RegistrySettings schemaRegistry,
        CassandraSettings cassandra,
        CheckpointSettings checkpoints,
        Topics topics,
        String consumerGroup,
        String transactionalIdPrefix,
        StorageSettings storage,
        IngestRules ingest)
        implements Validatable, Serializable, JobConnections {

    @JsonCreator
    public IngestConfig(
            @JsonProperty("kafka") KafkaSettings kafka,
            @JsonProperty("schemaRegistry") RegistrySettings schemaRegistry,
            @JsonProperty("cassandra") CassandraSettings cassandra,
            @JsonProperty("checkpoints") CheckpointSettings checkpoints,
            @JsonProperty("topics") Topics topics,
            @JsonProperty("consumerGroup") String consumerGroup,
            @JsonProperty("transactionalIdPrefix") String transactionalIdPrefix,
            @JsonProperty("storage") StorageSettings storage,
            @JsonProperty("ingest") IngestRules ingest) {
        this.kafka = kafka;
        this.schemaRegistry = schemaRegistry;
        this.cassandra = cassandra;
        this.checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
        this.topics = topics == null ? new Topics(null, null, null) : topics;
        this.consumerGroup = consumerGroup == null ? "tsflow-ingest-normalize" : consumerGroup;
        this.transactionalIdPrefix =
                transactionalIdPrefix == null ? "tsflow-ingest-normalize" : transactionalIdPrefix;
        this.storage = storage == null ? StorageSettings.defaults() : storage;
        this.ingest = ingest == null ? IngestRules.defaults() : ingest;
    }

    @Override
    public Collection<String> topicNames() {
        return List.of(topics.raw(), topics.observations(), topics.deadLetter());
    }

    @Override
    public void validate(String path) {
        ConnectionSections.validate(
                kafka,
                schemaRegistry,
                cassandra,
                storage.enabled(),
                "storage.enabled",
                checkpoints);
        topics.validate("topics");
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
                largestRecord <= kafka.maxRequestBytes(),
                path,
                "a record can reach "
                        + largestRecord
                        + " bytes with these limits, above the Kafka producers' max.request.size of"
                        + " "
                        + kafka.maxRequestBytes()
                        + " (set kafka.properties.max.request.size, and the topics'"
                        + " max.message.bytes, or lower maxTextBytes, maxBinaryBytes,"
                        + " maxDeadLetterOriginalBytes)");
    }
}
