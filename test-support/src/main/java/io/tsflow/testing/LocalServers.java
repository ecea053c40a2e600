package io.tsflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Addresses of the real local servers the tests run against. {@code ./tsflow test} starts them once
 * for the whole run and exports {@code TSFLOW_KAFKA_BOOTSTRAP}, {@code TSFLOW_CASSANDRA_CONTACT}
 * and {@code TSFLOW_REGISTRY_URL}. A test started from an IDE without them starts the servers
 * itself through {@code scripts/services.sh} (idempotent: running servers are reused); stop them
 * with {@code scripts/services.sh stop}.
 */
public final class LocalServers {

    private static volatile LocalServers instance;

    private final String kafkaBootstrap;
    private final String cassandraContact;
    private final String registryUrl;

    private LocalServers(String kafkaBootstrap, String cassandraContact, String registryUrl) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.cassandraContact = cassandraContact;
        this.registryUrl = registryUrl;
    }

    public static synchronized LocalServers get() {
        if (instance == null) {
            String kafka = System.getenv("TSFLOW_KAFKA_BOOTSTRAP");
            String cassandra = System.getenv("TSFLOW_CASSANDRA_CONTACT");
            String registry = System.getenv("TSFLOW_REGISTRY_URL");
            if (kafka == null || cassandra == null || registry == null) {
                startWithScript();
                kafka = "127.0.0.1:19092";
                cassandra = "127.0.0.1:19042";
                registry = "http://127.0.0.1:18081/apis/ccompat/v7";
            }
            instance = new LocalServers(kafka, cassandra, registry);
        }
        return instance;
    }

    private static void startWithScript() {
        Path script = findScript();
        try {
            Process process =
                    new ProcessBuilder("bash", script.toString(), "start").inheritIO().start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "scripts/services.sh start failed; see .tsflow/logs");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local servers", e);
        }
    }

    private static Path findScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path script = dir.resolve("scripts/services.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "scripts/services.sh not found above " + Path.of("").toAbsolutePath());
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String cassandraContact() {
        return cassandraContact;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /**
     * The kafka, schemaRegistry and cassandra sections of a job configuration for these servers.
     */
    public String connectionYaml(String keyspace) {
        return "kafka: {bootstrapServers: '"
                + kafkaBootstrap
                + "'}\n"
                + "schemaRegistry: {url: '"
                + registryUrl
                + "'}\n"
                + "cassandra: {contactPoints: ['"
                + cassandraContact
                + "'], keyspace: "
                + keyspace
                + "}\n";
    }
}
