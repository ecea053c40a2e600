package io.tsflow.runtime;

import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import java.io.Serializable;
import java.util.Collection;

/**
 * What every job's configuration record offers: the shared {@link JobSettings}, the topics it uses
 * and its storage switch, so that one piece of code can start any job ({@link JobMain}).
 */
public interface JobConfig extends Validatable, Serializable {

    JobSettings settings();

    JobTopics topics();

    /** The job's {@code storage} section; {@link StorageSwitch#OFF} for a job that never stores. */
    StorageSection storage();

    /** Whether the job can use Cassandra at all, which decides if its section is allowed. */
    default JobSettings.CassandraUse cassandraUse() {
        return JobSettings.CassandraUse.STORAGE;
    }

    /** Every topic the job reads or writes. */
    default Collection<String> topicNames() {
        return topics().names();
    }

    /** Whether the job writes Cassandra ({@code storage.enabled}). */
    default boolean storageEnabled() {
        return storage().enabled();
    }

    /**
     * Checks the sections every job has: the shared settings ({@code cassandra} as the storage
     * needs it) and the topics.
     */
    default void validateShared() {
        settings().validate(cassandraUse(), storageEnabled());
        topics().validate("topics");
    }

    default KafkaSettings kafka() {
        return settings().kafka();
    }

    default RegistrySettings schemaRegistry() {
        return settings().schemaRegistry();
    }

    /** Null when the file has no {@code cassandra} section. */
    default CassandraSettings cassandra() {
        return settings().cassandra();
    }

    default CheckpointSettings checkpoints() {
        return settings().checkpoints();
    }

    default String consumerGroup() {
        return settings().consumerGroup();
    }

    default String transactionalIdPrefix() {
        return settings().transactionalIdPrefix();
    }
}
