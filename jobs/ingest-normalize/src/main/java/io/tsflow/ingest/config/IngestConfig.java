package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.raw.StorageSettings;
import io.tsflow.connectors.job.CheckpointSettings;
import io.tsflow.connectors.job.ConnectionSections;
import io.tsflow.connectors.job.JobConnections;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
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
    }
}
