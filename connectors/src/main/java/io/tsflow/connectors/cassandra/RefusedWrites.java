package io.tsflow.connectors.cassandra;

import io.tsflow.schema.Rejected;
import java.io.Serializable;

/** The dead letter of an element Cassandra refused to store. */
@FunctionalInterface
public interface RefusedWrites<T> extends Serializable {

    Rejected deadLetter(T element, Throwable reason);
}
