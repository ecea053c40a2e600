package io.tsflow.connectors.registry;

import java.io.IOException;

/**
 * The registry could not be reached or failed after all retries. Unlike {@link
 * SchemaNotFoundException} this is not the data's fault, so a job fails and restarts rather than
 * dead-lettering good records.
 */
public class RegistryUnavailableException extends IOException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
