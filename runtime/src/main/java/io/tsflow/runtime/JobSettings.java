package io.tsflow.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import java.io.Serializable;

/**
 * The top-level keys every job's configuration file shares: where Kafka, the schema registry and
 * Cassandra are, how the job checkpoints, and the names it uses in Kafka. A job's configuration
 * record receives them as one value ({@code @JacksonInject JobSettings}), read from the same level
 * of the file as its own keys (see {@code ConfigLoader}).
 *
 * @param consumerGroup the Kafka consumer group; defaults to the job's name
 * @param transactionalIdPrefix the prefix of the job's Kafka transactional ids; defaults to the
 *     job's name
 */
public record JobSettings(
        KafkaSettings kafka,
        RegistrySettings schemaRegistry,
        CassandraSettings cassandra,
        CheckpointSettings checkpoints,
        String consumerGroup,
        String transactionalIdPrefix)
        implements Serializable {

    /** Whether and how a job uses Cassandra, which decides if the section is required. */
    public enum CassandraUse {
        /** The job never connects to Cassandra: the section must be absent. */
        NONE,
        /** The job writes Cassandra unless its {@code storage.enabled} is false. */
        STORAGE
    }

    @JsonCreator
    public JobSettings(
            @JsonProperty("kafka") KafkaSettings kafka,
            @JsonProperty("schemaRegistry") RegistrySettings schemaRegistry,
            @JsonProperty("cassandra") CassandraSettings cassandra,
            @JsonProperty("checkpoints") CheckpointSettings checkpoints,
            @JsonProperty("consumerGroup") String consumerGroup,
            @JsonProperty("transactionalIdPrefix") String transactionalIdPrefix) {
        this.kafka = kafka;
        this.schemaRegistry = schemaRegistry;
        this.cassandra = cassandra;
        this.checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
        this.consumerGroup = consumerGroup;
        this.transactionalIdPrefix = transactionalIdPrefix;
    }

    /** These settings with the names the file leaves out set to {@code jobName}. */
    public JobSettings named(String jobName) {
        return new JobSettings(
                kafka,
                schemaRegistry,
                cassandra,
                checkpoints,
                consumerGroup == null ? jobName : consumerGroup,
                transactionalIdPrefix == null ? jobName : transactionalIdPrefix);
    }

    /**
     * Checks every section; {@code cassandra} as {@code use} says: required while {@code
     * storageEnabled} for a job that stores, refused for a job that never connects to it.
     */
    public void validate(CassandraUse use, boolean storageEnabled) {
        ConfigException.require(kafka != null, "kafka", "section is required");
        kafka.validate("kafka");
        ConfigException.require(schemaRegistry != null, "schemaRegistry", "section is required");
        schemaRegistry.validate("schemaRegistry");
        if (use == CassandraUse.NONE) {
            ConfigException.require(
                    cassandra == null, "cassandra", "this job does not use Cassandra");
        } else if (storageEnabled) {
            ConfigException.require(
                    cassandra != null,
                    "cassandra",
                    "section is required unless storage.enabled is false");
            cassandra.validate("cassandra");
        }
        checkpoints.validate("checkpoints");
    }
}
