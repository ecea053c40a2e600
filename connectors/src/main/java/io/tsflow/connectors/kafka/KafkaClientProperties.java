package io.tsflow.connectors.kafka;

import io.tsflow.common.config.Secret;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Builds the Kafka client properties shared by sources and sinks: the pass-through properties of
 * {@link KafkaSettings} plus secrets from the environment, revealed for a client made here ({@link
 * #build}) or as placeholders resolved on the task managers for the jobs' sources and sinks ({@link
 * #forTasks}).
 *
 * <ul>
 *   <li>{@code TSFLOW_KAFKA_SASL_JAAS_CONFIG}: a complete sasl.jaas.config, or
 *   <li>{@code TSFLOW_KAFKA_USERNAME} and {@code TSFLOW_KAFKA_PASSWORD}: a login module is chosen
 *       from sasl.mechanism (SCRAM-SHA-256/512 or PLAIN);
 *   <li>{@code TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD}, {@code TSFLOW_KAFKA_SSL_KEYSTORE_PASSWORD},
 *       {@code TSFLOW_KAFKA_SSL_KEY_PASSWORD}.
 * </ul>
 *
 * Every variable may instead name a file with the {@code _FILE} suffix. A store password is used
 * only with its store's location, a login only with a SASL security.protocol. Kafka's clients log
 * secret settings as [hidden].
 */
public final class KafkaClientProperties {

    private static final Map<String, String> SECRET_PROPERTIES =
            Map.of(
                    "ssl.truststore.password", "TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD",
                    "ssl.keystore.password", "TSFLOW_KAFKA_SSL_KEYSTORE_PASSWORD",
                    "ssl.key.password", "TSFLOW_KAFKA_SSL_KEY_PASSWORD",
                    "sasl.jaas.config", "TSFLOW_KAFKA_SASL_JAAS_CONFIG");

    /**
     * The setting a secret property belongs to: a store password without its store makes Kafka's
     * clients refuse to start, and a login without SASL is noise, so one environment can serve jobs
     * on secured and plain listeners alike.
     */
    private static final Map<String, String> USED_WITH =
            Map.of(
                    "ssl.truststore.password", "ssl.truststore.location",
                    "ssl.keystore.password", "ssl.keystore.location",
                    "ssl.key.password", "ssl.keystore.location");

    private KafkaClientProperties() {}

    /**
     * The properties of a client created in this JVM (the start-up check, tools), secrets resolved
     * here.
     */
    public static Properties build(KafkaSettings settings) {
        return build(settings, Secret::fromEnvironment);
    }

    static Properties build(KafkaSettings settings, Function<String, Optional<Secret>> secrets) {
        return assemble(settings, secrets, Secret::reveal, false);
    }

    /**
     * The properties of the jobs' sources and sinks: each secret as a placeholder that {@link
     * SecretConfigProvider} resolves where the client is created, on the task managers, which need
     * the same variables. Which secrets are used is decided by what is set here.
     */
    public static Properties forTasks(KafkaSettings settings) {
        return forTasks(settings, Secret::fromEnvironment);
    }

    static Properties forTasks(KafkaSettings settings, Function<String, Optional<Secret>> secrets) {
        Properties properties =
                assemble(
                        settings,
                        secrets,
                        secret -> SecretConfigProvider.placeholder(secret.variable()),
                        true);
        String providers = properties.getProperty("config.providers");
        properties.setProperty(
                "config.providers",
                providers == null || providers.isBlank()
                        ? SecretConfigProvider.NAME
                        : providers + "," + SecretConfigProvider.NAME);
        properties.setProperty(
                "config.providers." + SecretConfigProvider.NAME + ".class",
                SecretConfigProvider.class.getName());
        return properties;
    }

    private static Properties assemble(
            KafkaSettings settings,
            Function<String, Optional<Secret>> secrets,
            Function<Secret, String> render,
            boolean placeholders) {
        Properties properties = new Properties();
        properties.putAll(settings.properties());
        properties.setProperty("bootstrap.servers", settings.bootstrapServers());
        boolean sasl =
                properties
                        .getProperty("security.protocol", "PLAINTEXT")
                        .toUpperCase(Locale.ROOT)
                        .startsWith("SASL");
        SECRET_PROPERTIES.forEach(
                (property, variable) -> {
                    String needed = USED_WITH.get(property);
                    boolean used = needed != null ? properties.containsKey(needed) : sasl;
                    if (used) {
                        secrets.apply(variable)
                                .ifPresent(
                                        secret ->
                                                properties.setProperty(
                                                        property, render.apply(secret)));
                    }
                });
        if (sasl && !properties.containsKey("sasl.jaas.config")) {
            Optional<Secret> username = secrets.apply("TSFLOW_KAFKA_USERNAME");
            Optional<Secret> password = secrets.apply("TSFLOW_KAFKA_PASSWORD");
            if (username.isPresent() && password.isPresent()) {
                String mechanism = properties.getProperty("sasl.mechanism", "PLAIN");
                properties.setProperty(
                        "sasl.jaas.config",
                        placeholders
                                ? jaasModule(mechanism)
                                        + " required username=\""
                                        + SecretConfigProvider.jaasPlaceholder(
                                                username.get().variable())
                                        + "\" password=\""
                                        + SecretConfigProvider.jaasPlaceholder(
                                                password.get().variable())
                                        + "\";"
                                : jaasConfig(
                                        mechanism,
                                        username.get().reveal(),
                                        password.get().reveal()));
            }
        }
        return properties;
    }

    /** The environment variable that supplies a secret property, for error messages. */
    static String secretVariableFor(String property) {
        String known = SECRET_PROPERTIES.get(property.toLowerCase(Locale.ROOT));
        return known != null ? known : "TSFLOW_KAFKA_USERNAME/TSFLOW_KAFKA_PASSWORD";
    }

    static String jaasConfig(String mechanism, String username, String password) {
        return jaasModule(mechanism)
                + " required username=\""
                + escapeJaas(username)
                + "\" password=\""
                + escapeJaas(password)
                + "\";";
    }

    private static String jaasModule(String mechanism) {
        return mechanism.toUpperCase(Locale.ROOT).startsWith("SCRAM")
                ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
    }

    static String escapeJaas(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
