package io.tsflow.benchmarks.derived;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The derived-series workload, identical for the job and the loop: {@code metrics} metrics ({@code
 * bench.m0}, ...) of {@code seriesPerMetric} series each (tags {@code site} s0-s9 and {@code dev}),
 * every series reporting once a second of event time in turn. Reading {@code i} belongs to series
 * {@code i % series}; the generator's two readers each take every other reading (see {@link #map})
 * so that both move through time together.
 */
public final class FleetReadings implements GeneratorFunction<Long, Observation> {

    private static final long serialVersionUID = 1L;
    static final long START_MILLIS = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    final int metrics;
    final int seriesPerMetric;
    private final long points;
    private transient String[] keys;
    private transient String[] metricNames;
    private transient Map<String, String>[] tags;

    public FleetReadings(int metrics, int seriesPerMetric, long points) {
        this.metrics = metrics;
        this.seriesPerMetric = seriesPerMetric;
        this.points = points;
    }

    int series() {
        return metrics * seriesPerMetric;
    }

    @Override
    public Observation map(Long index) {
        long half = (points + 1) / 2;
        return reading(index < half ? 2 * index : 2 * (index - half) + 1);
    }

    @SuppressWarnings("unchecked")
    Observation reading(long i) {
        if (keys == null) {
            keys = new String[series()];
            metricNames = new String[series()];
            tags = new Map[series()];
            for (int s = 0; s < series(); s++) {
                int device = s % seriesPerMetric;
                metricNames[s] = "bench.m" + s / seriesPerMetric;
                tags[s] = Map.of("site", "s" + device % 10, "dev", "d" + device);
                keys[s] = SeriesKey.of(metricNames[s], new TreeMap<>(tags[s]));
            }
        }
        int s = (int) (i % series());
        long second = i / series();
        return new Observation(
                keys[s],
                metricNames[s],
                tags[s],
                "tdouble",
                (START_MILLIS + second * 1000 + s % 1000) * 1000,
                (double) ((i * 31) % 1000),
                Origin.MEASURED,
                null);
    }
}
