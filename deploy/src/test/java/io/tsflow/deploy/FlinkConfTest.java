package io.tsflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed Flink configurations parse as Flink reads them, and use only keys Flink declares:
 * Flink itself ignores a misspelled key without a word.
 */
class FlinkConfTest {

    private static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    CheckpointingOptions.class,
                    ExecutionCheckpointingOptions.class,
                    StateBackendOptions.class,
                    StateRecoveryOptions.class,
                    RocksDBOptions.class,
                    RocksDBConfigurableOptions.class,
                    RestartStrategyOptions.class,
                    MetricOptions.class,
                    TaskManagerOptions.class,
                    JobManagerOptions.class,
                    CoreOptions.class,
                    RestOptions.class,
                    WebOptions.class,
                    ClusterOptions.class,
                    HighAvailabilityOptions.class,
                    BlobServerOptions.class);

    private static Set<String> declaredKeys() throws IllegalAccessException {
        Set<String> keys = new HashSet<>();
        for (Class<?> options : OPTION_CLASSES) {
            for (Field field : options.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    keys.add(option.key());
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        keys.add(fallback.getKey());
                    }
                }
            }
        }
        return keys;
    }

    private static Configuration load(String name) {
        Path dir = Path.of("..", "flink-conf", name);
        assertThat(Files.isRegularFile(dir.resolve("config.yaml"))).isTrue();
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "local"})
    void everyKeyIsOneFlinkDeclares(String name) throws Exception {
        Set<String> declared = declaredKeys();
        Map<String, String> settings = load(name).toMap();
        assertThat(settings).isNotEmpty();
        for (String key : settings.keySet()) {
            if (key.startsWith("metrics.reporter.")) {
                continue; // per-reporter keys: metrics.reporter.<name>.<reporter option>
            }
            assertThat(declared).as("a key Flink declares: " + key).contains(key);
        }
    }

    @org.junit.jupiter.api.Test
    void productionIsExactlyOnceOnIncrementalRocksDbWithPrometheus() {
        Configuration production = load("production");
        assertThat(production.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(production.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(production.toMap())
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(production.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("s3://");
    }
}
