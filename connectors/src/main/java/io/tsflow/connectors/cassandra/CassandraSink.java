package io.tsflow.connectors.cassandra;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink Sink V2 that stores elements in Cassandra with driver 4. Writes are asynchronous with at
 * most {@code maxInFlight} outstanding per subtask; a checkpoint waits until all of them are
 * acknowledged, so every element before a checkpoint is stored when the checkpoint completes.
 * Together with idempotent upserts (see {@link CassandraStatementMapper}) a replay after failure
 * leaves exactly the expected rows.
 */
public class CassandraSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final CassandraSettings settings;
    private final CassandraStatementMapper<T> mapper;
    private final WriteOrder order;

    /** Later elements win ({@link WriteOrder#ARRIVAL}). */
    public CassandraSink(CassandraSettings settings, CassandraStatementMapper<T> mapper) {
        this(settings, mapper, WriteOrder.ARRIVAL);
    }

    public CassandraSink(
            CassandraSettings settings, CassandraStatementMapper<T> mapper, WriteOrder order) {
        this.settings = settings;
        this.mapper = mapper;
        this.order = order;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new CassandraSinkWriter<>(
                settings,
                mapper,
                order,
                context.metricGroup(),
                context.getUserCodeClassLoader().asClassLoader());
    }

    /** Still abstract in Flink 1.20; delegates to the same writer. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new CassandraSinkWriter<>(
                settings,
                mapper,
                order,
                context.metricGroup(),
                context.getUserCodeClassLoader().asClassLoader());
    }
}
