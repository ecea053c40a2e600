package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Opens driver-4 sessions from {@link CassandraSettings}. */
public final class CqlSessions {

    private CqlSessions() {}

    /**
     * A session for {@code settings}. Inside Flink pass the user-code class loader: the driver
     * loads its reference configuration and codecs through it.
     */
    public static CqlSession open(CassandraSettings settings, ClassLoader classLoader) {
        return open(settings, classLoader, settings.username(), settings.password());
    }

    /**
     * As {@link #open(CassandraSettings, ClassLoader)}, with credentials given rather than read
     * from the environment.
     *
     * @throws CredentialsRefusedException when the node refuses them or asks for missing ones
     */
    static CqlSession open(
            CassandraSettings settings,
            ClassLoader classLoader,
            Optional<Secret> username,
            Optional<Secret> password) {
        DriverConfigLoader config =
                DriverConfigLoader.programmaticBuilder(classLoader)
                        .withDuration(
                                DefaultDriverOption.REQUEST_TIMEOUT, settings.requestTimeout())
                        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.consistency())
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ZERO)
                        // A node that comes back is found within maxBackoff (at least the
                        // driver's base delay of 1 s), not the driver's default minute: the
                        // writers wait for it.
                        .withDuration(
                                DefaultDriverOption.RECONNECTION_MAX_DELAY,
                                settings.maxBackoff().compareTo(Duration.ofSeconds(1)) > 0
                                        ? settings.maxBackoff()
                                        : Duration.ofSeconds(1))
                        .withDuration(
                                DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT,
                                Duration.ofSeconds(5))
                        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
                        .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true)
                        .build();
        List<InetSocketAddress> points = new ArrayList<>();
        for (String point : settings.contactPoints()) {
            int colon = point.lastIndexOf(':');
            points.add(
                    InetSocketAddress.createUnresolved(
                            point.substring(0, colon),
                            Integer.parseInt(point.substring(colon + 1))));
        }
        CqlSessionBuilder builder =
                CqlSession.builder()
                        .addContactPoints(points)
                        .withLocalDatacenter(settings.localDatacenter())
                        .withConfigLoader(config)
                        .withClassLoader(classLoader);
        username.ifPresent(
                user ->
                        builder.withAuthCredentials(
                                user.reveal(), password.map(Secret::reveal).orElse("")));
        if (settings.truststore() != null) {
            // The node's certificate must name the host it is reached by (SAN), as HTTPS checks:
            // a certificate from the same trusted authority for another host is refused.
            builder.withSslEngineFactory(
                    new ProgrammaticSslEngineFactory(sslContext(settings), null, true));
        }
        try {
            return builder.build();
        } catch (AllNodesFailedException e) {
            Optional<AuthenticationException> refused = authenticationFailure(e);
            if (refused.isEmpty()) {
                throw e;
            }
            String variables =
                    CassandraSettings.USERNAME_VARIABLE
                            + " and "
                            + CassandraSettings.PASSWORD_VARIABLE;
            throw new CredentialsRefusedException(
                    username.isEmpty()
                            ? "Cassandra at "
                                    + settings.contactPoints()
                                    + " requires a login: set "
                                    + variables
                                    + " (or their _FILE twins)"
                            : "Cassandra at "
                                    + settings.contactPoints()
                                    + " refused user '"
                                    + username.get().reveal()
                                    + "': "
                                    + refused.get().getMessage()
                                    + "; check "
                                    + variables,
                    e);
        }
    }

    private static Optional<AuthenticationException> authenticationFailure(
            AllNodesFailedException e) {
        return e.getAllErrors().values().stream()
                .flatMap(List::stream)
                .filter(AuthenticationException.class::isInstance)
                .map(AuthenticationException.class::cast)
                .findFirst();
    }

    private static SSLContext sslContext(CassandraSettings settings) {
        try (InputStream in = Files.newInputStream(Path.of(settings.truststore()))) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            char[] password =
                    settings.truststorePassword().map(s -> s.reveal().toCharArray()).orElse(null);
            store.load(in, password);
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot load the Cassandra truststore "
                            + settings.truststore()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
