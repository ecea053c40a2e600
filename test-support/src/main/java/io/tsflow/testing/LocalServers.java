package io.tsflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Addresses of the real local servers the tests run against. {@code ./tsflow test} starts them once
 * for the whole run and exports their addresses ({@code TSFLOW_KAFKA_BOOTSTRAP}, {@code
 * TSFLOW_CASSANDRA_CONTACT}, {@code TSFLOW_REGISTRY_URL}, {@code TSFLOW_ALERTMANAGER_URL}, ...) and
 * the credentials the secured servers ask for. A test started from an IDE needs the same variables:
 * start the servers with {@code scripts/services.sh start} and run the IDE with the exports of
 * {@code scripts/services.sh env}.
 */
public final class LocalServers {

    private static volatile LocalServers instance;

    private final String kafkaBootstrap;
    private final String cassandraContact;
    private final String registryUrl;
    private final String alertmanagerUrl;

    private LocalServers(
            String kafkaBootstrap,
            String cassandraContact,
            String registryUrl,
            String alertmanagerUrl) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.cassandraContact = cassandraContact;
        this.registryUrl = registryUrl;
        this.alertmanagerUrl = alertmanagerUrl;
    }

    public static synchronized LocalServers get() {
        if (instance == null) {
            String kafka = System.getenv("TSFLOW_KAFKA_BOOTSTRAP");
            String cassandra = System.getenv("TSFLOW_CASSANDRA_CONTACT");
            String registry = System.getenv("TSFLOW_REGISTRY_URL");
            String alertmanager = System.getenv("TSFLOW_ALERTMANAGER_URL");
            if (kafka == null
                    || cassandra == null
                    || registry == null
                    || alertmanager == null
                    || System.getenv("TSFLOW_CASSANDRA_USERNAME") == null) {
                throw new IllegalStateException(
                        "the local servers' addresses and credentials are not in the environment:"
                                + " run the tests with ./tsflow test, or start the servers with"
                                + " scripts/services.sh start and export what"
                                + " scripts/services.sh env prints");
            }
            instance = new LocalServers(kafka, cassandra, registry, alertmanager);
        }
        return instance;
    }

    /**
     * Runs {@code scripts/services.sh} with {@code arguments}, for tests that stop and start a
     * server (for example {@code services("stop", "alertmanager")}).
     */
    public static void services(String... arguments) {
        Path script = findScript();
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "scripts/services.sh "
                                + String.join(" ", arguments)
                                + " failed; see .tsflow/logs");
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

    /** The SASL_SSL listener of the local broker (SCRAM-SHA-512 over TLS). */
    public String kafkaSecureBootstrap() {
        return System.getenv("TSFLOW_KAFKA_SECURE_BOOTSTRAP");
    }

    /** The registry behind its basic-auth gate. */
    public String registryAuthUrl() {
        return System.getenv("TSFLOW_REGISTRY_AUTH_URL");
    }

    /** The PKCS12 truststore that trusts the local servers' certificate. */
    public String truststore() {
        return System.getenv("TSFLOW_TLS_TRUSTSTORE");
    }

    /** The REST address of the local standalone Flink session cluster. */
    public String flinkRestUrl() {
        String url = System.getenv("TSFLOW_FLINK_REST_URL");
        return url == null ? "http://127.0.0.1:18082" : url;
    }

    /** The base URL of the local Alertmanager (its API is under {@code /api/v2}). */
    public String alertmanagerUrl() {
        return alertmanagerUrl;
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

    /**
     * As {@link #connectionYaml(String)}, through the secured doors: Kafka's SASL_SSL listener, the
     * registry's basic-auth gate and Cassandra over TLS. The credentials come from the environment
     * of whoever runs the job.
     */
    public String securedConnectionYaml(String keyspace) {
        return "kafka:\n"
                + "  bootstrapServers: '"
                + kafkaSecureBootstrap()
                + "'\n"
                + "  properties: {security.protocol: SASL_SSL, sasl.mechanism: SCRAM-SHA-512,"
                + " ssl.truststore.type: PKCS12, ssl.truststore.location: '"
                + truststore()
                + "'}\n"
                + "schemaRegistry: {url: '"
                + registryAuthUrl()
                + "'}\n"
                + "cassandra: {contactPoints: ['"
                + cassandraContact
                + "'], keyspace: "
                + keyspace
                + ", truststore: '"
                + truststore()
                + "'}\n";
    }
}
