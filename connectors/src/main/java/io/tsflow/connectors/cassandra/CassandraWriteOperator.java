package io.tsflow.connectors.cassandra;

import io.tsflow.schema.Rejected;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Stores elements in Cassandra like {@link CassandraSink}, and emits the dead letter of each
 * element Cassandra refused. Refusals arrive on the driver's threads; they are emitted from the
 * task thread with the next element, and at the latest before the next checkpoint barrier, once
 * every write before it is acknowledged or refused: a checkpoint covers exactly the dead letters of
 * the elements it covers.
 */
public final class CassandraWriteOperator<T> extends AbstractStreamOperator<Rejected>
        implements OneInputStreamOperator<T, Rejected>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final long HELD_ROWS_MILLIS = 100;

    private final CassandraSettings settings;
    private final CassandraStatementMapper<T> mapper;
    private final WriteOrder order;
    private final RefusedWrites<T> deadLetters;
    private final CassandraWriter.SessionOpener opener;

    private transient CassandraWriter<T> writer;
    private transient Queue<Rejected> refused;

    CassandraWriteOperator(
            CassandraSettings settings,
            CassandraStatementMapper<T> mapper,
            WriteOrder order,
            RefusedWrites<T> deadLetters,
            CassandraWriter.SessionOpener opener) {
        this.settings = settings;
        this.mapper = mapper;
        this.order = order;
        this.deadLetters = deadLetters;
        this.opener = opener;
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    @Override
    public void open() throws Exception {
        super.open();
        refused = new ConcurrentLinkedQueue<>();
        writer =
                new CassandraWriter<>(
                        settings,
                        mapper,
                        order,
                        getMetricGroup(),
                        getUserCodeClassloader(),
                        opener);
        if (settings.batchRows() > 1) {
            // Rows held for a batch wait at most this long, also when no more elements come.
            getProcessingTimeService()
                    .scheduleWithFixedDelay(
                            time -> {
                                writer.sendHeldPartitions();
                                emitRefused();
                            },
                            HELD_ROWS_MILLIS,
                            HELD_ROWS_MILLIS);
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        writer.write(
                element.getValue(),
                element.hasTimestamp() ? element.getTimestamp() : null,
                (value, reason) -> refused.add(deadLetters.deadLetter(value, reason)));
        emitRefused();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        writer.flush();
        emitRefused();
    }

    @Override
    public void endInput() throws Exception {
        writer.flush();
        emitRefused();
    }

    private void emitRefused() {
        for (Rejected letter = refused.poll(); letter != null; letter = refused.poll()) {
            output.collect(new StreamRecord<>(letter));
        }
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
        super.close();
    }
}
