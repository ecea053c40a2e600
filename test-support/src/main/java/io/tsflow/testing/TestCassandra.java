package io.tsflow.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.tsflow.common.config.Secret;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;

/** Sessions against the real test node, and keyspace names no other test uses. */
public final class TestCassandra {

    private TestCassandra() {}

    /**
     * A session as the role the jobs log in as: {@code TSFLOW_CASSANDRA_USERNAME} and {@code
     * TSFLOW_CASSANDRA_PASSWORD(_FILE)}, which {@code scripts/services.sh env} exports.
     */
    public static CqlSession session(String contact) {
        return session(contact, "TSFLOW_CASSANDRA_USERNAME", "TSFLOW_CASSANDRA_PASSWORD");
    }

    /**
     * A session as the local servers' read-only role ({@code tsflow_reader}, SELECT on all
     * keyspaces), for what must only read.
     */
    public static CqlSession readerSession(String contact) {
        return session(
                contact, "TSFLOW_CASSANDRA_READER_USERNAME", "TSFLOW_CASSANDRA_READER_PASSWORD");
    }

    private static CqlSession session(
            String contact, String usernameVariable, String passwordVariable) {
        int colon = contact.lastIndexOf(':');
        CqlSessionBuilder builder = CqlSession.builder();
        Secret.fromEnvironment(usernameVariable)
                .ifPresent(
                        user ->
                                builder.withAuthCredentials(
                                        user.reveal(),
                                        Secret.fromEnvironment(passwordVariable)
                                                .map(Secret::reveal)
                                                .orElse("")));
        return builder.addContactPoint(
                        new InetSocketAddress(
                                contact.substring(0, colon),
                                Integer.parseInt(contact.substring(colon + 1))))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(
                        DriverConfigLoader.programmaticBuilder()
                                .withDuration(
                                        DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ZERO)
                                .withDuration(
                                        DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                                .build())
                .build();
    }

    public static String uniqueKeyspace(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
