package io.tsflow.connectors.kafka;

import io.tsflow.common.config.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Resolves {@code ${tsflow:VARIABLE}} in Kafka client settings from the environment of the JVM that
 * creates the client, as {@link Secret} reads it (the variable, or the file its {@code _FILE} twin
 * names). The sources and sinks carry only these placeholders, so the job graph that {@code main}
 * submits (and Flink keeps in its blob store and HA storage) holds no secret; each task manager
 * reads its own. {@code ${tsflow:VARIABLE#jaas}} gives the value escaped for a quoted JAAS option.
 */
public class SecretConfigProvider implements ConfigProvider {

    /** The name the provider is registered under in {@code config.providers}. */
    public static final String NAME = "tsflow";

    static final String JAAS_SUFFIX = "#jaas";

    /** The placeholder for {@code variable}. */
    static String placeholder(String variable) {
        return "${" + NAME + ":" + variable + "}";
    }

    /** The placeholder for {@code variable}, escaped for a quoted JAAS option. */
    static String jaasPlaceholder(String variable) {
        return placeholder(variable + JAAS_SUFFIX);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            boolean jaas = key.endsWith(JAAS_SUFFIX);
            String variable = jaas ? key.substring(0, key.length() - JAAS_SUFFIX.length()) : key;
            String value =
                    Secret.fromEnvironment(variable)
                            .map(Secret::reveal)
                            .orElseThrow(
                                    () ->
                                            new ConfigException(
                                                    variable
                                                            + " (or "
                                                            + variable
                                                            + "_FILE) is not set on this machine:"
                                                            + " the Kafka client needs it"));
            values.put(key, jaas ? KafkaClientProperties.escapeJaas(value) : value);
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}
