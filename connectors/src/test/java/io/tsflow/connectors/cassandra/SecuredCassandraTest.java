package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import io.tsflow.testing.LocalServers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}
