package io.tsflow.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import java.io.Serializable;
import org.slf4j.Logger;

/** Whether a job writes its Cassandra table ({@code storage.enabled}, on by default). */
public record StorageSwitch(boolean enabled) implements StorageSection, Serializable {

    public static final StorageSwitch ON = new StorageSwitch(true);

    public static final StorageSwitch OFF = new StorageSwitch(false);

    @JsonCreator
    public static StorageSwitch of(@JsonProperty("enabled") Boolean enabled) {
        return new StorageSwitch(enabled == null || enabled);
    }

    /**
     * The switch from {@code storage}, or from the older top-level key {@code aliasKey} (with a
     * deprecation warning); both at once are refused.
     */
    public static StorageSwitch withAlias(
            StorageSwitch storage, String aliasKey, Boolean alias, Logger log) {
        if (alias == null) {
            return storage == null ? ON : storage;
        }
        ConfigException.require(
                storage == null, aliasKey, "is replaced by storage.enabled: set only that");
        log.warn("Configuration key '{}' is deprecated: use storage.enabled instead", aliasKey);
        return new StorageSwitch(alias);
    }
}
