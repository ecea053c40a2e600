package io.tsflow.derived.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.derived.rules.DerivedRule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DerivedSeriesConfigTest {

    @Test
    void theLocalExampleIsValid() {
        DerivedSeriesConfig config =
                ConfigLoader.load(
                        Path.of("../../config/local/derived-series.yaml"),
                        DerivedSeriesConfig.class);
        assertThat(config.rules())
                .extracting(DerivedRule::name)
                .containsExactly(
                        "room-temperature-f",
                        "floor-max-temperature",
                        "http-status-total",
                        "building-average");
    }

    @Test
    void aCycleBetweenRulesStopsTheJobAtStart() {
        String yaml =
                "kafka: {bootstrapServers: 'localhost:9092'}\n"
                    + "schemaRegistry: {url: 'http://localhost:8081'}\n"
                    + "storage: {enabled: false}\n"
                    + "rules:\n"
                    + "  - {name: a, metric: x.a, inputs: {b: {metric: x\\.b}}, expression: 'b +"
                    + " 1'}\n"
                    + "  - {name: b, metric: x.b, inputs: {a: {metric: x\\.a}}, expression: 'a +"
                    + " 1'}\n";
        assertThatThrownBy(
                        () ->
                                ConfigLoader.load(
                                        new ByteArrayInputStream(
                                                yaml.getBytes(StandardCharsets.UTF_8)),
                                        DerivedSeriesConfig.class,
                                        "derived.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("derived series form a cycle: a -> b -> a");
    }
}
