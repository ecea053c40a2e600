package io.tsflow.alerts.delivery;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Secret;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how alerts are delivered. Every alert goes to each of {@code urls} (the members of an
 * Alertmanager cluster, as Prometheus does; they deduplicate among themselves). {@code resendEvery}
 * re-sends firing alerts, each announced as ending {@code 4 x resendEvery} later unless renewed, so
 * Alertmanager ends them itself if this job stops. Basic auth comes from {@code
 * TSFLOW_ALERTMANAGER_USERNAME} and {@code TSFLOW_ALERTMANAGER_PASSWORD} (or their {@code _FILE}
 * twins), never from the file, and never sent in clear text: over {@code http://} only to this
 * machine's loopback interface, unless {@code allowBasicAuthOverHttp: true}. {@code enabled: false}
 * keeps alerts on the Kafka topic only.
 */
public record AlertmanagerSettings(
        Boolean enabled,
        List<String> urls,
        Duration resendEvery,
        Duration requestTimeout,
        Duration maxBackoff,
        Duration drainTimeout,
        String generatorUrl,
        Boolean allowBasicAuthOverHttp)
        implements Validatable, Serializable {

    public static final String USERNAME_VARIABLE = "TSFLOW_ALERTMANAGER_USERNAME";
    public static final String PASSWORD_VARIABLE = "TSFLOW_ALERTMANAGER_PASSWORD";

    @JsonCreator
    public AlertmanagerSettings(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("urls") List<String> urls,
            @JsonProperty("resendEvery") Duration resendEvery,
            @JsonProperty("requestTimeout") Duration requestTimeout,
            @JsonProperty("maxBackoff") Duration maxBackoff,
            @JsonProperty("drainTimeout") Duration drainTimeout,
            @JsonProperty("generatorUrl") String generatorUrl,
            @JsonProperty("allowBasicAuthOverHttp") Boolean allowBasicAuthOverHttp) {
        this.enabled = enabled == null || enabled;
        this.urls = urls == null ? List.of() : List.copyOf(urls);
        this.resendEvery = resendEvery == null ? Duration.ofMinutes(1) : resendEvery;
        this.requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        this.maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        this.drainTimeout = drainTimeout == null ? Duration.ofSeconds(30) : drainTimeout;
        this.generatorUrl = generatorUrl == null ? "http://localhost:8081/" : generatorUrl;
        this.allowBasicAuthOverHttp = allowBasicAuthOverHttp != null && allowBasicAuthOverHttp;
    }

    public static AlertmanagerSettings of(String... urls) {
        return new AlertmanagerSettings(true, List.of(urls), null, null, null, null, null, null);
    }

    @Override
    public void validate(String path) {
        if (!enabled) {
            return;
        }
        ConfigException.require(
                !urls.isEmpty(),
                Keys.join(path, "urls"),
                "needs at least one Alertmanager URL (or set enabled: false)");
        for (String url : urls) {
            httpUrl(Keys.join(path, "urls"), url);
        }
        httpUrl(Keys.join(path, "generatorUrl"), generatorUrl);
        ConfigException.require(
                resendEvery.compareTo(Duration.ofSeconds(1)) >= 0,
                Keys.join(path, "resendEvery"),
                "must be at least 1s");
        ConfigException.require(
                requestTimeout.compareTo(Duration.ofMillis(100)) >= 0,
                Keys.join(path, "requestTimeout"),
                "must be at least 100ms");
        ConfigException.require(
                maxBackoff.compareTo(Duration.ofMillis(100)) >= 0,
                Keys.join(path, "maxBackoff"),
                "must be at least 100ms");
        ConfigException.require(
                !drainTimeout.isNegative(),
                Keys.join(path, "drainTimeout"),
                "must not be negative");
    }

    private static void httpUrl(String key, String url) {
        try {
            URI uri = URI.create(url);
            ConfigException.require(
                    "http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
                    key,
                    "must be an http or https URL, got " + url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": not a URL: " + url);
        }
    }

    Optional<Secret> username() {
        return Secret.fromEnvironment(USERNAME_VARIABLE);
    }

    Optional<Secret> password() {
        return Secret.fromEnvironment(PASSWORD_VARIABLE);
    }
}
