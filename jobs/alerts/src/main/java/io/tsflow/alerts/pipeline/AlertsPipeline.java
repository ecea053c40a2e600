package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The watching graph: observations keyed by series into one {@link SeriesWatcher} (uid {@code
 * watch-series}) that evaluates every rule selecting the series. Its input must carry event time
 * and watermarks: the watermark is how the watcher knows the job is keeping up.
 */
public final class AlertsPipeline {

    private AlertsPipeline() {}

    /** The state changes for topic alerts, and the same plus re-sends for Alertmanager. */
    public record Outputs(DataStream<Alert> changes, DataStream<Alert> deliveries) {}

    public static Outputs define(
            DataStream<Observation> timed, List<AlertRule> rules, WatchTiming timing) {
        SingleOutputStreamOperator<Alert> changes =
                timed.keyBy(Observation::getSeriesKey)
                        .process(new SeriesWatcher(rules, timing))
                        .uid("watch-series")
                        .name("watch series (" + rules.size() + " rules)");
        return new Outputs(changes, changes.getSideOutput(SeriesWatcher.DELIVERIES));
    }
}
