package io.tsflow.benchmarks.cassandra;

import io.tsflow.benchmarks.rollup.SensorReadings;
import io.tsflow.schema.Observation;
import java.time.Instant;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Points of {@code series} series, one every 10 s per series, that arrive in runs of {@code run}
 * consecutive points of one series: 1 is a fleet where every series reports in turn, 5 the messages
 * of five points a gateway sends, 100 a gateway uploading its buffer. All points of a series fall
 * in one month, so one raw-table partition holds them.
 */
final class SeriesRuns implements GeneratorFunction<Long, Observation> {

    private static final long serialVersionUID = 1L;
    private static final long START_MICROS =
            Instant.parse("2026-01-05T00:00:00Z").toEpochMilli() * 1000;
    private static final long STEP_MICROS = 10_000_000L;

    private final int series;
    private final int run;

    SeriesRuns(int series, int run) {
        this.series = series;
        this.run = run;
    }

    @Override
    public Observation map(Long index) {
        return point(index);
    }

    Observation point(long i) {
        long block = i / run;
        int id = (int) (block % series);
        long step = (block / series) * run + i % run;
        return SensorReadings.sensor(id, START_MICROS + step * STEP_MICROS, (double) (i % 1000));
    }
}
