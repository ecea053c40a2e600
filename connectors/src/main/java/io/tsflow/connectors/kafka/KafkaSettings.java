package io.tsflow.connectors.kafka;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to reach Kafka. {@code properties} passes any Kafka client setting through to every consumer
 * and producer (security.protocol, sasl.mechanism, ssl.truststore.location, ...), except secrets:
 * those come from the environment (see {@link KafkaClientProperties}) and a secret-looking key in
 * the file is refused.
 */
public record KafkaSettings(
        String bootstrapServers, Map<String, String> properties, Duration transactionTimeout)
        implements Validatable, Serializable {

    @JsonCreator
    public KafkaSettings(
            @JsonProperty("bootstrapServers") String bootstrapServers,
            @JsonProperty("properties") Map<String, String> properties,
            @JsonProperty("transactionTimeout") Duration transactionTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.properties = properties == null ? Map.of() : new TreeMap<>(properties);
        this.transactionTimeout =
                transactionTimeout == null ? Duration.ofMinutes(15) : transactionTimeout;
    }

    /**
     * The largest record the producers send: {@code max.request.size} from {@code properties}, else
     * Kafka's default of 1 MiB. (The broker's {@code message.max.bytes} has the same default.)
     */
    public int maxRequestBytes() {
        String configured = properties.get("max.request.size");
        return configured == null ? 1024 * 1024 : Integer.parseInt(configured.trim());
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(
                bootstrapServers != null && !bootstrapServers.isBlank(),
                Keys.join(path, "bootstrapServers"),
                "is required (host:port[,host:port...])");
        for (String key : properties.keySet()) {
            ConfigException.require(
                    !looksSecret(key),
                    Keys.join(path, "properties." + key),
                    "secrets must not be in the configuration file; set "
                            + KafkaClientProperties.secretVariableFor(key)
                            + " in the environment instead");
        }
        String requestSize = properties.get("max.request.size");
        ConfigException.require(
                requestSize == null || requestSize.trim().matches("[1-9][0-9]{0,9}"),
                Keys.join(path, "properties.max.request.size"),
                "must be a number of bytes");
        ConfigException.require(
                !properties.containsKey("bootstrap.servers"),
                Keys.join(path, "properties.bootstrap.servers"),
                "use kafka.bootstrapServers");
        ConfigException.require(
                transactionTimeout.compareTo(Duration.ofSeconds(10)) >= 0
                        && transactionTimeout.compareTo(Duration.ofMinutes(15)) <= 0,
                Keys.join(path, "transactionTimeout"),
                "must be between 10s and 15m (the broker's transaction.max.timeout.ms defaults to"
                        + " 15m) and longer than the checkpoint interval");
    }

    static boolean looksSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password")
                || lower.contains("jaas")
                || lower.contains("secret")
                || lower.endsWith(".key")
                || lower.equals("ssl.keystore.certificate.chain");
    }
}
