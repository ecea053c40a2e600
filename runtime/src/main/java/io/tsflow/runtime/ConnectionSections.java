package io.tsflow.runtime;

import io.tsflow.common.config.ConfigException;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;

/**
 * The sections every job's configuration shares: {@code kafka}, {@code schemaRegistry}, {@code
 * cassandra} and {@code checkpoints}. One place checks them, so the jobs report the same errors.
 */
public final class ConnectionSections {

    private ConnectionSections() {}

    /**
     * Checks the shared sections; {@code cassandra} only when the job stores to it, and then it is
     * required unless the key {@code storageSwitch} turns storage off.
     */
    public static void validate(
            KafkaSettings kafka,
            RegistrySettings schemaRegistry,
            CassandraSettings cassandra,
            boolean storageEnabled,
            String storageSwitch,
            CheckpointSettings checkpoints) {
        ConfigException.require(kafka != null, "kafka", "section is required");
        kafka.validate("kafka");
        ConfigException.require(schemaRegistry != null, "schemaRegistry", "section is required");
        schemaRegistry.validate("schemaRegistry");
        if (storageEnabled) {
            ConfigException.require(
                    cassandra != null,
                    "cassandra",
                    "section is required unless " + storageSwitch + " is false");
            cassandra.validate("cassandra");
        }
        checkpoints.validate("checkpoints");
    }
}
