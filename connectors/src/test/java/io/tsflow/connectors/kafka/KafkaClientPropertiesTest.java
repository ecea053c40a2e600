package io.tsflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static final KafkaSettings SCRAM =
            new KafkaSettings(
                    "broker:9093",
                    Map.of(
                            "security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "ssl.truststore.location", "/etc/tsflow/truststore.p12"),
                    null);

    private static final Map<String, String> EVERY_SECRET =
            Map.of(
                    "TSFLOW_KAFKA_USERNAME", "ingest",
                    "TSFLOW_KAFKA_PASSWORD", "secret",
                    "TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                    "TSFLOW_KAFKA_SSL_KEYSTORE_PASSWORD", "changeit",
                    "TSFLOW_KAFKA_SSL_KEY_PASSWORD", "changeit");

    @Test
    void aPlaintextListenerGetsNoneOfTheSecrets() {
        Properties properties =
                KafkaClientProperties.build(
                        KafkaSettings.of("broker:9092"),
                        name ->
                                Optional.ofNullable(EVERY_SECRET.get(name))
                                        .map(v -> Secret.of(name, v)));
        assertThat(properties.stringPropertyNames()).containsExactly("bootstrap.servers");
    }

    @Test
    void storePasswordsGoOnlyWithTheirStores() {
        Properties properties =
                KafkaClientProperties.build(
                        SCRAM,
                        name ->
                                Optional.ofNullable(EVERY_SECRET.get(name))
                                        .map(v -> Secret.of(name, v)));
        assertThat(properties)
                .containsKeys("ssl.truststore.password", "sasl.jaas.config")
                .doesNotContainKeys("ssl.keystore.password", "ssl.key.password");
    }

    @Test
    void passesPropertiesThroughAndBuildsJaasFromEnvironmentCredentials() {
        Map<String, String> env =
                Map.of(
                        "TSFLOW_KAFKA_USERNAME", "ingest",
                        "TSFLOW_KAFKA_PASSWORD", "pa\"ss",
                        "TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit");
        Properties properties =
                KafkaClientProperties.build(
                        SCRAM,
                        name -> Optional.ofNullable(env.get(name)).map(v -> Secret.of(name, v)));
        assertThat(properties.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(properties.getProperty("bootstrap.servers")).isEqualTo("broker:9093");
        assertThat(properties.getProperty("ssl.truststore.password")).isEqualTo("changeit");
        assertThat(properties.getProperty("sasl.jaas.config"))
                .isEqualTo(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"ingest\" password=\"pa\\\"ss\";");
    }

    @Test
    void noCredentialsMeansNoJaas() {
        Properties properties = KafkaClientProperties.build(SCRAM, name -> Optional.empty());
        assertThat(properties).doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void secretsInTheFileAreRefusedWithTheVariableToUse() {
        KafkaSettings bad =
                new KafkaSettings("b:1", Map.of("ssl.truststore.password", "changeit"), null);
        assertThatThrownBy(() -> bad.validate("kafka"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.properties.ssl.truststore.password")
                .hasMessageContaining("TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD")
                .hasMessageNotContaining("changeit");
        KafkaSettings jaas =
                new KafkaSettings("b:1", Map.of("sasl.jaas.config", "x required;"), null);
        assertThatThrownBy(() -> jaas.validate("kafka")).hasMessageContaining("sasl.jaas.config");
    }

    @Test
    void theJobsClientsGetPlaceholdersThatTheTaskManagersResolve() {
        KafkaSettings withProvider =
                new KafkaSettings(
                        "broker:9093",
                        Map.of(
                                "security.protocol", "SASL_SSL",
                                "sasl.mechanism", "SCRAM-SHA-512",
                                "ssl.truststore.location", "/etc/tsflow/truststore.p12",
                                "config.providers", "file",
                                "config.providers.file.class",
                                        "org.apache.kafka.common.config.provider.FileConfigProvider"),
                        null);
        Properties properties =
                KafkaClientProperties.forTasks(
                        withProvider,
                        name ->
                                Optional.ofNullable(EVERY_SECRET.get(name))
                                        .map(v -> Secret.of(name, v)));
        assertThat(properties.getProperty("sasl.jaas.config"))
                .isEqualTo(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"${tsflow:TSFLOW_KAFKA_USERNAME#jaas}\""
                                + " password=\"${tsflow:TSFLOW_KAFKA_PASSWORD#jaas}\";");
        assertThat(properties.getProperty("ssl.truststore.password"))
                .isEqualTo("${tsflow:TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD}");
        assertThat(properties.getProperty("config.providers")).isEqualTo("file,tsflow");
        assertThat(properties.getProperty("config.providers.tsflow.class"))
                .isEqualTo(SecretConfigProvider.class.getName());
        assertThat(properties.values()).noneMatch(v -> v.equals("secret") || v.equals("changeit"));
    }

    @Test
    void theProviderEscapesForJaasAndNamesAMissingVariable() {
        assertThat(KafkaClientProperties.escapeJaas("pa\"ss\\")).isEqualTo("pa\\\"ss\\\\");
        SecretConfigProvider provider = new SecretConfigProvider();
        assertThatThrownBy(
                        () ->
                                provider.get(
                                        "",
                                        java.util.Set.of("TSFLOW_TEST_NEVER_SET_VARIABLE#jaas")))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining(
                        "TSFLOW_TEST_NEVER_SET_VARIABLE (or TSFLOW_TEST_NEVER_SET_VARIABLE_FILE)");
    }
}
