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

    /** Every topic the job reads or writes. */
    Collection<String> topicNames();

    /**
     * Whether the job writes Cassandra ({@code storage.enabled}); false for a job that never does.
     */
    boolean storageEnabled();

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
