package io.tsflow.common.config;

/**
 * A configuration section that checks its own values; {@code path} is the section's key in the
 * file.
 */
public interface Validatable {

    void validate(String path);
}
