package io.tsflow.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

class ConnectionSectionsTest {

    private static <T> T read(String yaml, Class<T> type) throws Exception {
        return ConfigLoader.mapper().readValue(yaml, type);
    }

    @Test
    void eachMissingSectionIsNamedAndCassandraOnlyWhenStorageIsOn() throws Exception {
        KafkaSettings kafka = read("{bootstrapServers: 'localhost:9092'}", KafkaSettings.class);
        RegistrySettings registry = read("{url: 'http://localhost:8081'}", RegistrySettings.class);
        CheckpointSettings checkpoints = CheckpointSettings.defaults();

        assertThatThrownBy(
                        () ->
                                ConnectionSections.validate(
                                        null, registry, null, false, "storageEnabled", checkpoints))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka")
                .hasMessageContaining("section is required");
        assertThatThrownBy(
                        () ->
                                ConnectionSections.validate(
                                        kafka, null, null, false, "storageEnabled", checkpoints))
                .hasMessageContaining("schemaRegistry");
        assertThatThrownBy(
                        () ->
                                ConnectionSections.validate(
                                        kafka,
                                        registry,
                                        null,
                                        true,
                                        "storage.enabled",
                                        checkpoints))
                .hasMessageContaining("cassandra")
                .hasMessageContaining("section is required unless storage.enabled is false");
        assertThatCode(
                        () ->
                                ConnectionSections.validate(
                                        kafka,
                                        registry,
                                        null,
                                        false,
                                        "storageEnabled",
                                        checkpoints))
                .doesNotThrowAnyException();
    }
}
