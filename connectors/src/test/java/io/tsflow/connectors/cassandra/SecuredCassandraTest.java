package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import io.tsflow.testing.LocalServers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local node requires a password (PasswordAuthenticator) and accepts TLS on its native port
 * (see scripts/services.sh); the jobs' sessions come from {@link CqlSessions}.
 */
class SecuredCassandraTest {

    private static final LocalServers SERVERS = LocalServers.get();

    private static CassandraSettings withTruststore(String truststore) {
        return CassandraSettings.local(SERVERS.cassandraContact(), "tsflow")
                .withTruststore(truststore);
    }

    @Test
    void theJobRoleLogsInOverTls() {
        try (CqlSession session =
                CqlSessions.open(
                        withTruststore(SERVERS.truststore()), getClass().getClassLoader())) {
            // The node's own view of its clients: this connection is encrypted and logged in as
            // the role the environment names.
            List<Row> clients =
                    session.execute("SELECT username, ssl_enabled FROM system_views.clients").all();
            assertThat(clients)
                    .isNotEmpty()
                    .allSatisfy(
                            row -> {
                                assertThat(row.getString("username")).isEqualTo("tsflow");
                                assertThat(row.getBoolean("ssl_enabled")).isTrue();
                            });
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithAMessageThatNamesTheVariablesNotTheSecret() {
        String wrong = "not-the-password-" + System.nanoTime();
        assertThatThrownBy(
                        () ->
                                CqlSessions.open(
                                        withTruststore(SERVERS.truststore()),
                                        getClass().getClassLoader(),
                                        Optional.of(Secret.of("U", "tsflow")),
                                        Optional.of(Secret.of("P", wrong))))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining("refused user 'tsflow'")
                .hasMessageContaining("TSFLOW_CASSANDRA_PASSWORD")
                .hasMessageNotContaining(wrong);
    }

    @Test
    void theWellKnownDefaultSuperuserPasswordNoLongerWorks() {
        assertThatThrownBy(
                        () ->
                                CqlSessions.open(
                                        withTruststore(null),
                                        getClass().getClassLoader(),
                                        Optional.of(Secret.of("U", "cassandra")),
                                        Optional.of(Secret.of("P", "cassandra"))))
                .isInstanceOf(CredentialsRefusedException.class);
    }

    @Test
    void noCredentialsAtAllAreReportedAsMissing() {
        assertThatThrownBy(
                        () ->
                                CqlSessions.open(
                                        withTruststore(null),
                                        getClass().getClassLoader(),
                                        Optional.empty(),
                                        Optional.empty()))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining("requires a login")
                .hasMessageContaining("TSFLOW_CASSANDRA_USERNAME");
    }

    /**
     * A TLS endpoint whose certificate is trusted (same truststore) but names another host: the
     * session must refuse it at the handshake, as HTTPS would, not talk to it.
     */
    @Test
    void aTrustedCertificateForAnotherHostIsRefused(@TempDir Path dir) throws Exception {
        String password =
                Secret.fromEnvironment(CassandraSettings.TRUSTSTORE_PASSWORD_VARIABLE)
                        .orElseThrow()
                        .reveal();
        Path keystore = dir.resolve("other.p12");
        Path certificate = dir.resolve("other.crt");
        Path truststore = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "other",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=other.example",
                "-ext",
                "SAN=DNS:other.example",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-alias",
                "other",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "other",
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                truststore.toString(),
                "-storepass",
                password);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory keyManagers =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers.getKeyManagers(), null, null);
        try (SSLServerSocket socket =
                (SSLServerSocket)
                        server.getServerSocketFactory()
                                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread handshakes =
                    new Thread(
                            () -> {
                                while (!socket.isClosed()) {
                                    try (SSLSocket client = (SSLSocket) socket.accept()) {
                                        client.startHandshake();
                                    } catch (IOException e) {
                                        // refused by the client, or closed: next
                                    }
                                }
                            });
            handshakes.setDaemon(true);
            handshakes.start();
            CassandraSettings other =
                    CassandraSettings.local("127.0.0.1:" + socket.getLocalPort(), "tsflow")
                            .withTruststore(truststore.toString());
            assertThatThrownBy(() -> CqlSessions.open(other, getClass().getClassLoader()))
                    .isInstanceOf(AllNodesFailedException.class)
                    .satisfies(
                            e ->
                                    assertThat(
                                                    ((AllNodesFailedException) e)
                                                            .getAllErrors().values().stream()
                                                                    .flatMap(List::stream)
                                                                    .map(
                                                                            SecuredCassandraTest
                                                                                    ::trace)
                                                                    .toList())
                                            .anyMatch(
                                                    trace ->
                                                            trace.contains(
                                                                    "No subject alternative")));
        }
    }

    private static String trace(Throwable error) {
        java.io.StringWriter text = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new AssertionError("keytool failed: " + output);
        }
    }
}
