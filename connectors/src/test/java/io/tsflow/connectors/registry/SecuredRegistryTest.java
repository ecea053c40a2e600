package io.tsflow.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import io.tsflow.schema.Observation;
import io.tsflow.testing.LocalServers;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The registry behind its basic-auth gate (nginx in front of Apicurio, see scripts/services.sh).
 */
class SecuredRegistryTest {

    private static final LocalServers SERVERS = LocalServers.get();

    private static RegistrySettings gated() {
        return new RegistrySettings(SERVERS.registryAuthUrl(), Duration.ofSeconds(10), 8);
    }

    @Test
    void theRightCredentialsRegisterAndReadBack() throws Exception {
        SchemaRegistryClient client = new SchemaRegistryClient(gated());
        client.checkAccess();
        String subject = "secured-" + System.nanoTime() + "-value";
        int id = client.register(subject, Observation.getClassSchema());
        SchemaRegistryClient fresh = new SchemaRegistryClient(gated());
        assertThat(fresh.schemaById(id)).isEqualTo(Observation.getClassSchema());
        assertThat(fresh.versions(subject)).containsExactly(1);
    }

    @Test
    void aWrongPasswordIsRefusedAtOnceNotRetried() {
        String wrong = "not-the-password-" + System.nanoTime();
        SchemaRegistryClient client =
                new SchemaRegistryClient(
                        // 100 attempts would take minutes if a 401 were retried.
                        new RegistrySettings(
                                SERVERS.registryAuthUrl(), Duration.ofSeconds(10), 100),
                        Optional.of(Secret.of("U", "tsflow")),
                        Optional.of(Secret.of("P", wrong)));
        long started = System.nanoTime();
        assertThatThrownBy(client::checkAccess)
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining("refused user 'tsflow' (HTTP 401)")
                .hasMessageContaining("TSFLOW_REGISTRY_PASSWORD")
                .hasMessageNotContaining(wrong);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void noCredentialsAreReportedAsMissing() {
        SchemaRegistryClient client =
                new SchemaRegistryClient(gated(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining("requires credentials")
                .hasMessageContaining("TSFLOW_REGISTRY_USERNAME");
    }

    @Test
    void credentialsAreNotSentOverPlainHttpToAnotherMachine() {
        Optional<Secret> user = Optional.of(Secret.of("TSFLOW_REGISTRY_USERNAME", "tsflow"));
        Optional<Secret> password = Optional.of(Secret.of("TSFLOW_REGISTRY_PASSWORD", "pw"));
        assertThatThrownBy(
                        () ->
                                new SchemaRegistryClient(
                                        RegistrySettings.of("http://registry.example:8081"),
                                        user,
                                        password))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("allowBasicAuthOverHttp")
                .hasMessageNotContaining("pw");
        new SchemaRegistryClient(
                new RegistrySettings(
                        "http://registry.example:8081", Duration.ofSeconds(1), 1, true),
                user,
                password);
    }
}
