package io.tsflow.common.config;

/** A configuration problem, reported at start-up. The message names the offending key. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Fails with "key: problem" unless the condition holds. */
    public static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new ConfigException(key + ": " + problem);
        }
    }
}
