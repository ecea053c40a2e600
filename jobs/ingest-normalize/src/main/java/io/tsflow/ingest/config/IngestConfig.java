package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.job.CheckpointSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import java.io.Serializable;

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
        implements Validatable, Serializable {

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
    public void validate(String path) {
        ConfigException.require(kafka != null, "kafka", "section is required");
        kafka.validate("kafka");
        ConfigException.require(schemaRegistry != null, "schemaRegistry", "section is required");
        schemaRegistry.validate("schemaRegistry");
        if (storage.enabled()) {
            ConfigException.require(
                    cassandra != null,
                    "cassandra",
                    "section is required unless storage.enabled is false");
            cassandra.validate("cassandra");
        }
        checkpoints.validate("checkpoints");
        topics.validate("topics");
        storage.validate("storage");
        ingest.validate("ingest");
    }
}
