package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns one element into the statements that store it. Every statement must be an idempotent upsert
 * with a primary key derived only from the element (no now(), uuid() or counters): the sink replays
 * elements after a failure, and replays must overwrite, not add.
 */
public interface CassandraStatementMapper<T> extends Serializable {

    /** Prepares statements; called once per sink writer with its own session. */
    void open(CqlSession session);

    /** Emits the statements for {@code element}. */
    void statementsFor(T element, Consumer<Statement<?>> out);
}
