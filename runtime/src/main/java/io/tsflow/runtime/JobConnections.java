package io.tsflow.runtime;

import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import java.util.Collection;

/**
 * What every job's configuration says about its surroundings: where Kafka and the schema registry
 * are, which topics the job uses, and how it checkpoints. The jobs' configuration records implement
 * it, so that one piece of code can start any of them ({@link JobEnvironment#checkedProduction}).
 */
public interface JobConnections {

    KafkaSettings kafka();

    RegistrySettings schemaRegistry();

    CheckpointSettings checkpoints();

    /** Every topic the job reads or writes. */
    Collection<String> topicNames();
}
