package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.Statement;

/**
 * The write timestamps of one sink writer, in microseconds, fixed on each statement before its
 * first attempt (a statement its mapper stamped keeps its own). Used from the task thread only.
 */
final class WriteTimestamps {

    // Cassandra names a positional USING TIMESTAMP marker "[timestamp]".
    private static final CqlIdentifier POSITIONAL_MARKER =
            CqlIdentifier.fromInternal("[timestamp]");
    private static final CqlIdentifier NAMED_MARKER =
            CqlIdentifier.fromInternal(CassandraStatementMapper.TIMESTAMP_MARKER);

    private final WriteOrder order;
    private long lastArrival;
    private long lastRecordMillis = Long.MIN_VALUE;
    private int sameMillisecond;

    WriteTimestamps(WriteOrder order) {
        this.order = order;
    }

    /** The timestamp for the statements of an element with {@code recordTimestamp} (or null). */
    long forElement(Long recordTimestamp) {
        // Kafka says -1 for a record without a timestamp: such an element is stamped on arrival.
        if (order == WriteOrder.RECORD_TIMESTAMP
                && recordTimestamp != null
                && recordTimestamp >= 0) {
            // A record stamped ahead of the clock (a gateway whose clock runs ahead) must not
            // make its rows win over every later send until that time.
            recordTimestamp = Math.min(recordTimestamp, System.currentTimeMillis());
            // Elements of one record (the points of one message) share its timestamp: a later
            // one in the message wins, as it would without a fixed timestamp.
            if (recordTimestamp == lastRecordMillis) {
                sameMillisecond = Math.min(999, sameMillisecond + 1);
            } else {
                lastRecordMillis = recordTimestamp;
                sameMillisecond = 0;
            }
            return Math.addExact(Math.multiplyExact(recordTimestamp, 1000L), sameMillisecond);
        }
        // Never backwards, even if the wall clock is stepped back: a later element wins.
        lastArrival = Math.max(System.currentTimeMillis() * 1000, lastArrival + 1);
        return lastArrival;
    }

    /**
     * Stamps {@code statement} with {@code micros}: in its CQL if it has a {@code USING TIMESTAMP}
     * marker (positional, or named {@value CassandraStatementMapper#TIMESTAMP_MARKER}) left unset,
     * which lets it join a batch with rows of other timestamps, else as its protocol timestamp,
     * unless it has one.
     */
    static Statement<?> stamp(Statement<?> statement, long micros) {
        if (statement instanceof BoundStatement bound) {
            int marker = timestampMarker(bound);
            if (marker >= 0) {
                return bound.isSet(marker) ? bound : bound.setLong(marker, micros);
            }
        }
        return statement.getQueryTimestamp() == Statement.NO_DEFAULT_TIMESTAMP
                ? statement.setQueryTimestamp(micros)
                : statement;
    }

    /** Whether {@code statement} has its write timestamp bound in its CQL. */
    static boolean carriesOwnTimestamp(BoundStatement statement) {
        int marker = timestampMarker(statement);
        return marker >= 0 && statement.isSet(marker);
    }

    private static int timestampMarker(BoundStatement statement) {
        ColumnDefinitions variables = statement.getPreparedStatement().getVariableDefinitions();
        int positional = variables.firstIndexOf(POSITIONAL_MARKER);
        return positional >= 0 ? positional : variables.firstIndexOf(NAMED_MARKER);
    }
}
