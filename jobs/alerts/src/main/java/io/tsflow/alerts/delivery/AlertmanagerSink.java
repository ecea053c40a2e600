package io.tsflow.alerts.delivery;

import io.tsflow.schema.Alert;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Delivers alerts to Alertmanager's {@code POST /api/v2/alerts}, to every configured URL, with
 * retries and backoff while one is down. Delivery is at least once and never blocks the job:
 * Alertmanager deduplicates, and firing alerts come again every {@code resendEvery} from the
 * watcher's state, so an alert that could not be sent before a failure is sent after the restore.
 */
public class AlertmanagerSink implements Sink<Alert> {

    private static final long serialVersionUID = 1L;

    private final AlertmanagerSettings settings;

    public AlertmanagerSink(AlertmanagerSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
        return new AlertmanagerWriter(settings, context.metricGroup());
    }

    /** Still abstract in Flink 1.20; delegates to the same writer. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<Alert> createWriter(InitContext context) throws IOException {
        return new AlertmanagerWriter(settings, context.metricGroup());
    }
}
