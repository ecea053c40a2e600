package io.tsflow.connectors.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Secret;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the schema registry is. {@code url} is the base of the Confluent-compatible API: for
 * Confluent Schema Registry, Karapace or Redpanda the server root; for Apicurio {@code
 * http://host:port/apis/ccompat/v7}. Basic auth credentials come from {@code
 * TSFLOW_REGISTRY_USERNAME} and {@code TSFLOW_REGISTRY_PASSWORD} (or their {@code _FILE} twins),
 * never from the file. They are never sent in clear text: over {@code http://} only to this
 * machine's loopback interface, unless {@code allowBasicAuthOverHttp: true}.
 */
public record RegistrySettings(
        String url, Duration requestTimeout, Integer maxAttempts, Boolean allowBasicAuthOverHttp)
        implements Validatable, Serializable {

    public static final String USERNAME_VARIABLE = "TSFLOW_REGISTRY_USERNAME";
    public static final String PASSWORD_VARIABLE = "TSFLOW_REGISTRY_PASSWORD";

    @JsonCreator
    public RegistrySettings(
            @JsonProperty("url") String url,
            @JsonProperty("requestTimeout") Duration requestTimeout,
            @JsonProperty("maxAttempts") Integer maxAttempts,
            @JsonProperty("allowBasicAuthOverHttp") Boolean allowBasicAuthOverHttp) {
        this.url = url;
        this.requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        this.maxAttempts = maxAttempts == null ? 8 : maxAttempts;
        this.allowBasicAuthOverHttp = allowBasicAuthOverHttp != null && allowBasicAuthOverHttp;
    }

    public RegistrySettings(String url, Duration requestTimeout, Integer maxAttempts) {
        this(url, requestTimeout, maxAttempts, null);
    }

    public static RegistrySettings of(String url) {
        return new RegistrySettings(url, null, null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(url != null, Keys.join(path, "url"), "is required");
        try {
            URI uri = URI.create(url);
            ConfigException.require(
                    "http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
                    Keys.join(path, "url"),
                    "must be an http or https URL, got " + url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Keys.join(path, "url") + ": not a URL: " + url);
        }
        ConfigException.require(
                maxAttempts >= 1 && maxAttempts <= 100,
                Keys.join(path, "maxAttempts"),
                "must be between 1 and 100");
    }

    Optional<Secret> username() {
        return Secret.fromEnvironment(USERNAME_VARIABLE);
    }

    Optional<Secret> password() {
        return Secret.fromEnvironment(PASSWORD_VARIABLE);
    }
}
