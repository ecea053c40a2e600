package io.tsflow.benchmarks.alerts;

import io.tsflow.schema.Alert;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A sink that keeps the alert changes in memory for the harness (same JVM as the MiniCluster). */
final class CollectedAlerts implements Sink<Alert> {

    private static final long serialVersionUID = 1L;
    static final Queue<Alert> CHANGES = new ConcurrentLinkedQueue<>();

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
        return writer();
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<Alert> createWriter(InitContext context) throws IOException {
        return writer();
    }

    private static SinkWriter<Alert> writer() {
        return new SinkWriter<>() {
            @Override
            public void write(Alert alert, Context context) {
                CHANGES.add(alert);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
