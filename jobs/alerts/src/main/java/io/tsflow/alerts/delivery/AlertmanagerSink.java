package io.tsflow.alerts.delivery;

import io.tsflow.schema.Alert;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Delivers alerts to Alertmanager's {@code POST /api/v2/alerts}, to every configured URL, with
 * retries and backoff while one is down. Delivery is at least once and never blocks the job:
 * Alertmanager deduplicates. The alerts still waiting at a checkpoint are part of it, so those that
 * could not be sent before a failure are sent after the restore, RESOLVED ones included.
 */
public class AlertmanagerSink implements Sink<Alert>, SupportsWriterState<Alert, List<Alert>> {

    private static final long serialVersionUID = 1L;

    private final AlertmanagerSettings settings;

    public AlertmanagerSink(AlertmanagerSettings settings) {
        this.settings = settings;
    }

    @Override
    public StatefulSinkWriter<Alert, List<Alert>> createWriter(WriterInitContext context) {
        return new AlertmanagerWriter(settings, context.metricGroup());
    }

    @Override
    public StatefulSinkWriter<Alert, List<Alert>> restoreWriter(
            WriterInitContext context, Collection<List<Alert>> recoveredState) {
        return new AlertmanagerWriter(settings, context.metricGroup(), recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<List<Alert>> getWriterStateSerializer() {
        return new WaitingAlertsSerializer();
    }

    /** Still abstract in Flink 1.20; delegates to the same writer. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<Alert> createWriter(InitContext context) {
        return new AlertmanagerWriter(settings, context.metricGroup());
    }
}
