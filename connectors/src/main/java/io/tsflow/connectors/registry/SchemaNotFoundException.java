package io.tsflow.connectors.registry;

/**
 * The registry answered that a schema id or subject does not exist (HTTP 404): the data is at
 * fault.
 */
public class SchemaNotFoundException extends Exception {

    public SchemaNotFoundException(String message) {
        super(message);
    }
}
