package io.tsflow.runtime;

/**
 * A job's {@code storage} section, of which every job that stores has the switch {@code enabled}.
 */
public interface StorageSection {

    boolean enabled();
}
