package io.tsflow.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    record Inner(Integer size, Duration every, java.time.Instant since) implements Validatable {
        @Override
        public void validate(String path) {
            ConfigException.require(
                    size == null || size > 0, Keys.join(path, "size"), "must be positive");
        }
    }

    record Sample(String name, Inner inner, List<String> items) implements Validatable {
        @Override
        public void validate(String path) {
            ConfigException.require(name != null, Keys.join(path, "name"), "is required");
            if (inner != null) {
                inner.validate(Keys.join(path, "inner"));
            }
        }
    }

    private static Sample load(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                Sample.class,
                "test.yaml");
    }

    @Test
    void readsNestedValuesAndDurations() {
        Sample sample =
                load(
                        "name: x\n"
                                + "inner:\n"
                                + "  size: 3\n"
                                + "  every: 10s\n"
                                + "  since: '2020-01-01T00:00:00Z'\n"
                                + "items: [a, b]\n");
        assertThat(sample.inner().every()).isEqualTo(Duration.ofSeconds(10));
        assertThat(sample.inner().since())
                .isEqualTo(java.time.Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(sample.items()).containsExactly("a", "b");
    }

    @Test
    void unknownKeyIsNamedWithItsFullPath() {
        assertThatThrownBy(() -> load("name: x\ninner:\n  sise: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'inner.sise'")
                .hasMessageContaining("size");
    }

    @Test
    void wrongTypeIsNamedWithItsKey() {
        assertThatThrownBy(() -> load("name: x\ninner:\n  size: lots\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inner.size");
    }

    @Test
    void badDurationIsNamedWithItsKey() {
        assertThatThrownBy(() -> load("name: x\ninner:\n  every: soon\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inner.every")
                .hasMessageContaining("not a duration");
    }

    @Test
    void badInstantIsNamedWithItsKey() {
        assertThatThrownBy(() -> load("name: x\ninner:\n  since: last week\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inner.since")
                .hasMessageContaining("not an instant");
    }

    @Test
    void failedCheckIsNamedWithItsKey() {
        assertThatThrownBy(() -> load("name: x\ninner:\n  size: -1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("inner.size: must be positive");
    }

    @Test
    void secretsComeFromTheVariableOrItsFileAndNeverPrint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "s3cr3t-from-file\n");
        Secret fromFile =
                Secret.fromEnvironment("DB_PASSWORD", Map.of("DB_PASSWORD_FILE", file.toString()))
                        .orElseThrow();
        assertThat(fromFile.reveal()).isEqualTo("s3cr3t-from-file");
        Secret direct =
                Secret.fromEnvironment("DB_PASSWORD", Map.of("DB_PASSWORD", "hunter2"))
                        .orElseThrow();
        assertThat(direct.reveal()).isEqualTo("hunter2");
        assertThat(direct.toString()).doesNotContain("hunter2").contains("DB_PASSWORD");
        assertThat(Secret.fromEnvironment("DB_PASSWORD", Map.of())).isEmpty();
    }
}
