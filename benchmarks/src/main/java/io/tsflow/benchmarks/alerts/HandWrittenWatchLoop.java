package io.tsflow.benchmarks.alerts;

import io.tsflow.common.series.SeriesSelector;
import io.tsflow.schema.Observation;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The baseline: what watching costs without Flink. One thread takes the same readings, matches each
 * against the rule's selector and records the series' last arrival in a {@code HashMap}, as the
 * watcher's per-point work does; no state backend, timers, checkpoints or shuffle.
 */
final class HandWrittenWatchLoop {

    private HandWrittenWatchLoop() {}

    /** Returns the number of series watched. */
    static int run(GeneratorFunction<Long, Observation> readings, long points) throws Exception {
        SeriesSelector selector = new SeriesSelector("bench\\.temperature", Map.of());
        Map<String, long[]> lastArrival = new HashMap<>();
        for (long i = 0; i < points; i++) {
            Observation point = readings.map(i);
            if (selector.matches(point.getMetric(), point.getTagset())) {
                long[] last = lastArrival.computeIfAbsent(point.getSeriesKey(), k -> new long[2]);
                last[0] = System.currentTimeMillis();
                last[1] = point.getTimestampMicros();
            }
        }
        return lastArrival.size();
    }
}
