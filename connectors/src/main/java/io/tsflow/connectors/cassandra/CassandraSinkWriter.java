package io.tsflow.connectors.cassandra;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * {@link CassandraWriter} as a sink writer: it has no output, so an element Cassandra refuses fails
 * the job ({@link CassandraWriteOperator} sends it to the dead letters instead).
 */
class CassandraSinkWriter<T> implements SinkWriter<T> {

    private final CassandraWriter<T> writer;

    CassandraSinkWriter(CassandraWriter<T> writer) {
        this.writer = writer;
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        writer.write(element, context.timestamp(), null);
    }

    /**
     * Waits until every write sent so far is acknowledged; called before each checkpoint and at the
     * end.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }
}
