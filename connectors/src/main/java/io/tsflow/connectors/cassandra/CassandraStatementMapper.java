package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns one element into the statements that store it. Every statement must be an idempotent upsert
 * with a primary key derived only from the element (no now(), uuid() or counters): the sink replays
 * elements after a failure, and replays must overwrite, not add.
 *
 * <p>The sink gives each element's statements a write timestamp. A statement whose CQL ends with
 * {@code USING TIMESTAMP ?} (or {@code :}{@value #TIMESTAMP_MARKER}), left unbound, gets it there
 * and may be sent in one unlogged batch with the other rows of its partition; any other statement
 * gets it as its protocol timestamp and is sent alone.
 */
public interface CassandraStatementMapper<T> extends Serializable {

    /** The name of a named {@code USING TIMESTAMP} marker the sink binds. */
    String TIMESTAMP_MARKER = "write_timestamp";

    /** Prepares statements; called once per sink writer with its own session. */
    void open(CqlSession session);

    /** Emits the statements for {@code element}. */
    void statementsFor(T element, Consumer<Statement<?>> out);
}
