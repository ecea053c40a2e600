package io.tsflow.rollup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollupConfigTest {

    private static RollupConfig load(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream(
                        ("kafka: {bootstrapServers: 'localhost:9092'}\n"
                                        + "schemaRegistry: {url: 'http://localhost:8081'}\n"
                                        + "storageEnabled: false\n"
                                        + yaml)
                                .getBytes(StandardCharsets.UTF_8)),
                RollupConfig.class,
                "rollup.yaml");
    }

    @Test
    void theLocalExampleIsValid() {
        RollupConfig config =
                ConfigLoader.load(Path.of("../../config/local/rollup.yaml"), RollupConfig.class);
        assertThat(config.seriesTiming().idleAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void eachSeriesClosesOnItsOwnClockWithDefaultsForSilence() {
        RollupConfig config = load("");
        assertThat(config.seriesTiming().outOfOrderness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.seriesTiming().idleAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.seriesTiming().forgetAfter()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void theMiniBatchGathersByDefaultCanBeTurnedOffAndRefusesNonsense() {
        assertThat(load("").miniBatch().miniBatch())
                .isEqualTo(new io.tsflow.rollup.pipeline.MiniBatch(50_000, Duration.ofSeconds(1)));
        assertThat(load("miniBatch: {maxPoints: 1}\n").miniBatch().miniBatch().maxPoints())
                .isEqualTo(1);
        assertThat(load("miniBatch: {maxPoints: 5000, maxDelay: 1s}\n").miniBatch().miniBatch())
                .isEqualTo(new io.tsflow.rollup.pipeline.MiniBatch(5000, Duration.ofSeconds(1)));
        assertThatThrownBy(() -> load("miniBatch: {maxPoints: 0}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("miniBatch.maxPoints");
        assertThatThrownBy(() -> load("miniBatch: {maxDelay: -1s}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("miniBatch.maxDelay");
    }

    @Test
    void aSeriesCannotBeForgottenBeforeItsBucketsAreClosedForSilence() {
        assertThatThrownBy(() -> load("idleness: 5m\nforgetAfter: 1m\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("forgetAfter (PT1M) must be at least the idle delay (PT5M)");
        assertThatThrownBy(() -> load("idleness: 0s\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the idle delay must be positive");
    }

    @Test
    void aRetentionCassandraWouldRefuseOnEveryWriteIsRefusedAtStart() {
        assertThatThrownBy(() -> load("levels: [{interval: 1m, retention: 7301d}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("levels[0].retention")
                .hasMessageContaining("7300d, Cassandra's largest TTL");
        assertThatThrownBy(
                        () ->
                                load(
                                        "rules: [{name: r, metric: 'a', retention: {1m:"
                                                + " 25000d}}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention.1m");
        assertThat(load("levels: [{interval: 1m, retention: 7300d}]\n").levels()).hasSize(1);
    }
}
