package io.tsflow.alerts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {

    private static final String CONNECTIONS =
            "kafka: {bootstrapServers: 'localhost:9092'}\n"
                    + "schemaRegistry: {url: 'http://localhost:8081'}\n";

    private static AlertsConfig load(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream((CONNECTIONS + yaml).getBytes(StandardCharsets.UTF_8)),
                AlertsConfig.class,
                "alerts.yaml");
    }

    @Test
    void theLocalExampleIsValid() {
        AlertsConfig config =
                ConfigLoader.load(Path.of("../../config/local/alerts.yaml"), AlertsConfig.class);
        assertThat(config.rules())
                .extracting(AlertRule::name)
                .containsExactly("room-sensor-silent", "room-too-hot", "room-sensor-stuck");
        assertThat(config.rules().get(1).pendingMillis()).isEqualTo(5_000);
        assertThat(config.alertmanager().urls()).containsExactly("http://127.0.0.1:19094");
        assertThat(config.watchTiming().resendEvery()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void errorsNameTheBadKey() {
        assertThatThrownBy(() -> load("rules: [{name: a, kind: stale}]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules[0].staleAfter: is required");
        assertThatThrownBy(() -> load("rules: [{name: a, kind: stale, staleAfter: 1m, max: 3}]"))
                .hasMessageContaining("rules[0].max: has no meaning for a stale rule");
        assertThatThrownBy(() -> load("rules: [{name: a, kind: silence, staleAfter: 1m}]"))
                .hasMessageContaining("rules[0].kind: must be one of stale, stuck, outOfRange");
        assertThatThrownBy(() -> load("rules: [{name: a, kind: stuck}]"))
                .hasMessageContaining("rules[0].stuckPoints: a stuck rule needs");
        assertThatThrownBy(() -> load("rules: [{name: a, kind: outOfRange, min: 5, max: 1}]"))
                .hasMessageContaining("rules[0].max: must not be below min");
        assertThatThrownBy(
                        () ->
                                load(
                                        "rules: [{name: a, kind: outOfRange, max: 1},"
                                                + " {name: a, kind: stale, staleAfter: 1m}]"))
                .hasMessageContaining("rules[1].name: 'a' is used by an earlier rule");
        assertThatThrownBy(
                        () ->
                                load(
                                        "rules: [{name: a, kind: stale, staleAfter: 1h,"
                                                + " forgetAfter: 30m}]"))
                .hasMessageContaining("rules[0].forgetAfter: must be longer than staleAfter");
        assertThatThrownBy(
                        () ->
                                load(
                                        "alertmanager: {urls: []}\n"
                                                + "rules: [{name: a, kind: outOfRange, max: 1}]"))
                .hasMessageContaining("alertmanager.urls: needs at least one Alertmanager URL");
        assertThatThrownBy(
                        () ->
                                load(
                                        "outOfOrderness: 2m\n"
                                                + "rules: [{name: a, kind: outOfRange, max: 1}]"))
                .hasMessageContaining("backlog.maxLag: must be longer than outOfOrderness");
        assertThatThrownBy(
                        () ->
                                load(
                                        "rules: [{name: a, kind: outOfRange, max: 1,"
                                                + " engine: flink}]"))
                .hasMessageContaining("rules[0].engine: must be timer or cep");
        assertThatThrownBy(
                        () ->
                                load(
                                        "rules: [{name: a, kind: stuck, stuckFor: 1h,"
                                                + " engine: cep}]"))
                .hasMessageContaining("rules[0].stuckFor: needs engine: timer");
    }
}
