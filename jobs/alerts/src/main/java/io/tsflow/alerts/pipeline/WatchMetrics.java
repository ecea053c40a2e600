package io.tsflow.alerts.pipeline;

import io.tsflow.runtime.DownstreamFailure;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertStatus;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * The counters of a watching operator (group {@code tsflow}), and the {@link
 * AlertLifecycle.Changes} that emit and count alert changes: each change to the main output and to
 * delivery, each re-send to delivery only. What those outputs throw is marked as a {@link
 * DownstreamFailure}: it fails the task, never a point.
 */
final class WatchMetrics {

    final Counter fired;
    final Counter resolved;
    final Counter staleHeldBack;
    final Counter forgotten;
    final Counter processingFailures;
    final Counter refusedByLimit;

    WatchMetrics(MetricGroup operator) {
        MetricGroup metrics = operator.addGroup("tsflow");
        fired = metrics.counter("alertsFired");
        resolved = metrics.counter("alertsResolved");
        staleHeldBack = metrics.counter("staleChecksHeldBackByBacklog");
        forgotten = metrics.counter("watchesForgotten");
        processingFailures = metrics.counter("processingFailures");
        refusedByLimit = metrics.counter("pointsRefusedByCardinalityLimit");
    }

    AlertLifecycle.Changes changes(Collector<Alert> out, Consumer<Alert> delivery) {
        return new AlertLifecycle.Changes() {
            @Override
            public void change(Alert change) {
                DownstreamFailure.marking(
                        () -> {
                            out.collect(change);
                            delivery.accept(change);
                        });
                (change.getStatus() == AlertStatus.FIRING ? fired : resolved).inc();
            }

            @Override
            public void refresh(Alert firing) {
                DownstreamFailure.marking(() -> delivery.accept(firing));
            }
        };
    }
}
