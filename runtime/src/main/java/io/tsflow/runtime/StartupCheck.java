package io.tsflow.runtime;

import io.tsflow.connectors.kafka.KafkaAccessCheck;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every job's {@code main} checks before it builds its graph: Kafka accepts the job's login
 * and has its topics, and the schema registry accepts its credentials. A failure stops the
 * submission with a message naming what to fix (Cassandra is checked by the schema step that
 * precedes this one).
 */
public final class StartupCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private StartupCheck() {}

    public static void verify(
            KafkaSettings kafka, Collection<String> topics, RegistrySettings registry) {
        KafkaAccessCheck.verify(kafka, topics, TIMEOUT);
        try {
            new SchemaRegistryClient(registry).checkAccess();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the schema registry at " + registry.url() + " failed the start-up check", e);
        }
        LOG.info(
                "Start-up check passed: Kafka at {} has topics {}, the registry at {} answers",
                kafka.bootstrapServers(),
                topics,
                registry.url());
    }
}
