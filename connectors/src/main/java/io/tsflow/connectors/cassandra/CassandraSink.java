package io.tsflow.connectors.cassandra;

import io.tsflow.schema.Rejected;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Stores elements in Cassandra with driver 4. Writes are asynchronous with at most {@code
 * maxInFlight} outstanding per subtask; a checkpoint waits until all of them are acknowledged, so
 * every element before a checkpoint is stored when the checkpoint completes. Together with
 * idempotent upserts (see {@link CassandraStatementMapper}) a replay after failure leaves exactly
 * the expected rows.
 *
 * <p>Attach it with {@link #writeFrom}: an element Cassandra refuses as invalid then becomes a dead
 * letter on the returned stream. As a plain Flink {@link Sink} (for example wrapped by a test's
 * fault injector), a refusal fails the job.
 */
public class CassandraSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final CassandraSettings settings;
    private final CassandraStatementMapper<T> mapper;
    private final WriteOrder order;
    private final RefusedWrites<T> deadLetters;

    /**
     * Later elements win ({@link WriteOrder#ARRIVAL}); a refused element becomes {@code
     * deadLetters}' record.
     */
    public CassandraSink(
            CassandraSettings settings,
            CassandraStatementMapper<T> mapper,
            RefusedWrites<T> deadLetters) {
        this(settings, mapper, WriteOrder.ARRIVAL, deadLetters);
    }

    public CassandraSink(
            CassandraSettings settings,
            CassandraStatementMapper<T> mapper,
            WriteOrder order,
            RefusedWrites<T> deadLetters) {
        this.settings = settings;
        this.mapper = mapper;
        this.order = order;
        this.deadLetters = deadLetters;
    }

    /**
     * Writes {@code stream} with operator uid {@code uid}; returns the dead letters of the elements
     * Cassandra refused.
     */
    public SingleOutputStreamOperator<Rejected> writeFrom(
            DataStream<T> stream, String uid, String name) {
        return stream.transform(name, TypeInformation.of(Rejected.class), operator()).uid(uid);
    }

    /** The operator {@link #writeFrom} installs, for operator test harnesses. */
    public CassandraWriteOperator<T> operator() {
        return new CassandraWriteOperator<>(
                settings, mapper, order, deadLetters, CqlSessions::open);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return writer(context.metricGroup(), context.getUserCodeClassLoader().asClassLoader());
    }

    /** Still abstract in Flink 1.20; delegates to the same writer. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return writer(context.metricGroup(), context.getUserCodeClassLoader().asClassLoader());
    }

    private SinkWriter<T> writer(MetricGroup metrics, ClassLoader classLoader) throws IOException {
        return new CassandraSinkWriter<>(
                new CassandraWriter<>(
                        settings, mapper, order, metrics, classLoader, CqlSessions::open));
    }
}
