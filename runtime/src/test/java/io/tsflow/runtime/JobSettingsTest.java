package io.tsflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    /** A job's configuration as the four jobs write theirs: shared settings plus its own keys. */
    record ExampleConfig(JobSettings settings, String own, StorageSwitch storage)
            implements JobConfig {

        @JsonCreator
        ExampleConfig(
                @JacksonInject JobSettings settings,
                @JsonProperty("own") String own,
                @JsonProperty("storage") StorageSwitch storage) {
            this.settings = settings.named("example-job");
            this.own = own;
            this.storage = storage == null ? StorageSwitch.ON : storage;
        }

        @Override
        public JobTopics topics() {
            return () -> TopicNames.inOrder("input", "example-in", "output", "example-out");
        }

        @Override
        public void validate(String path) {
            validateShared();
        }
    }

    private static final String CONNECTIONS =
            "kafka: {bootstrapServers: 'localhost:9092'}\n"
                    + "schemaRegistry: {url: 'http://localhost:8081'}\n";

    private static ExampleConfig load(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                ExampleConfig.class,
                "example.yaml");
    }

    @Test
    void sharedKeysAndTheJobsOwnKeysStandAtOneLevelOfTheFile() {
        ExampleConfig config =
                load(
                        CONNECTIONS
                                + "own: mine\nconsumerGroup: group-a\nstorage: {enabled: false}\n");

        assertThat(config.own()).isEqualTo("mine");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.consumerGroup()).isEqualTo("group-a");
        assertThat(config.transactionalIdPrefix()).isEqualTo("example-job");
        assertThat(config.checkpoints()).isEqualTo(CheckpointSettings.defaults());
        assertThat(config.storageEnabled()).isFalse();
    }

    @Test
    void anUnknownKeyIsNamedWithEveryKeyKnownAtItsLevel() {
        assertThatThrownBy(
                        () -> load(CONNECTIONS + "storage: {enabled: false}\nconsumergroup: x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'consumergroup'")
                .hasMessageContaining("consumerGroup")
                .hasMessageContaining("own")
                .hasMessageContaining("kafka");
        assertThatThrownBy(() -> load(CONNECTIONS + "kafka: {bootstrapserver: x}\n"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void eachMissingSectionIsNamedAndCassandraOnlyWhenStorageIsOn() {
        assertThatThrownBy(() -> load("schemaRegistry: {url: 'http://localhost:8081'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka")
                .hasMessageContaining("section is required");
        assertThatThrownBy(() -> load("kafka: {bootstrapServers: 'localhost:9092'}\n"))
                .hasMessageContaining("schemaRegistry");
        assertThatThrownBy(() -> load(CONNECTIONS))
                .hasMessageContaining("cassandra")
                .hasMessageContaining("section is required unless storage.enabled is false");
        assertThatCode(() -> load(CONNECTIONS + "storage: {enabled: false}\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void aJobThatNeverUsesCassandraRefusesTheSection() {
        JobSettings settings = load(CONNECTIONS + "storage: {enabled: false}\n").settings();
        JobSettings withCassandra =
                new JobSettings(
                        settings.kafka(),
                        settings.schemaRegistry(),
                        load(CONNECTIONS
                                        + "cassandra: {contactPoints: ['localhost:9042'],"
                                        + " localDatacenter: dc1, keyspace: ks}\n")
                                .cassandra(),
                        null,
                        null,
                        null);

        assertThatCode(() -> settings.validate(JobSettings.CassandraUse.NONE, false))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> withCassandra.validate(JobSettings.CassandraUse.NONE, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra: this job does not use Cassandra");
    }

    @Test
    void theOlderStorageKeyIsReadWithAWarningButNotBesideTheNewOne() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JobSettingsTest.class);

        assertThat(StorageSwitch.withAlias(null, "storageEnabled", false, log).enabled()).isFalse();
        assertThat(StorageSwitch.withAlias(null, "storageEnabled", null, log).enabled()).isTrue();
        assertThatThrownBy(
                        () ->
                                StorageSwitch.withAlias(
                                        StorageSwitch.ON, "storageEnabled", false, log))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storageEnabled: is replaced by storage.enabled");
    }
}
