package io.tsflow.connectors.cassandra;

import java.io.IOException;

/**
 * Cassandra kept failing a write after every retry; the job fails and restarts from its last
 * checkpoint.
 */
public class CassandraWriteException extends IOException {

    public CassandraWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
