package io.tsflow.common.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A credential read from the environment, never from the configuration file. {@code NAME} is read
 * from the variable NAME, or from the file that {@code NAME_FILE} points to (Kubernetes secret
 * volumes). Its {@link #toString()} never shows the value, so a secret that ends up in a log line
 * or an exception shows only its variable name.
 */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String variable;
    private final String value;

    private Secret(String variable, String value) {
        this.variable = variable;
        this.value = value;
    }

    /** The secret named by {@code variable}, if that variable or its {@code _FILE} twin is set. */
    public static Optional<Secret> fromEnvironment(String variable) {
        return fromEnvironment(variable, System.getenv());
    }

    static Optional<Secret> fromEnvironment(String variable, Map<String, String> environment) {
        String direct = environment.get(variable);
        if (direct != null && !direct.isEmpty()) {
            return Optional.of(new Secret(variable, direct));
        }
        String file = environment.get(variable + "_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                String content = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                return Optional.of(new Secret(variable, content));
            } catch (IOException e) {
                throw new ConfigException(
                        variable
                                + "_FILE: cannot read the secret file "
                                + file
                                + ": "
                                + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** For tests and programmatic set-up. */
    public static Secret of(String variable, String value) {
        return new Secret(variable, value);
    }

    public String reveal() {
        return value;
    }

    public String variable() {
        return variable;
    }

    @Override
    public String toString() {
        return "Secret[" + variable + "=****]";
    }
}
