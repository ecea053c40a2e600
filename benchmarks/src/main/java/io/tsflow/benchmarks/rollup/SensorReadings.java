package io.tsflow.benchmarks.rollup;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The rollup workload, identical for the job and the baseline loop: reading {@code i} belongs to
 * series {@code i % series} at step {@code i / series}, one reading per series every 10 s, so that
 * every series reports in turn as a fleet of sensors does. Each series' readings are a few hundred
 * microseconds apart from the others', and the values cycle through 1,000 levels.
 *
 * <p>The generator source hands each of its two readers one contiguous half of the indices; {@link
 * #map} interleaves them (even readings to the first half, odd to the second) so that both readers
 * move through time together, as two Kafka partitions of a live topic do.
 */
public final class SensorReadings implements GeneratorFunction<Long, Observation> {

    private static final long serialVersionUID = 1L;
    static final long START_MICROS = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli() * 1000;
    static final long STEP_MICROS = 10_000_000L;

    private final int series;
    private final long points;

    public SensorReadings(int series, long points) {
        this.series = series;
        this.points = points;
    }

    @Override
    public Observation map(Long index) {
        long half = (points + 1) / 2;
        return reading(index < half ? 2 * index : 2 * (index - half) + 1);
    }

    /** Reading {@code i} of the stream in time order. */
    public Observation reading(long i) {
        int id = (int) (i % series);
        long step = i / series;
        return sensor(
                id,
                START_MICROS + step * STEP_MICROS + (id % 1000) * 300L,
                (double) ((i * 31) % 1000) / 10.0);
    }

    /** A reading of sensor {@code id} (series {@code bench.sensor{id="<id>"}}). */
    public static Observation sensor(int id, long micros, double value) {
        String tag = Integer.toString(id);
        return new Observation(
                "bench.sensor{id=\"" + tag + "\"}",
                "bench.sensor",
                Map.of("id", tag),
                "tdouble",
                micros,
                value,
                Origin.MEASURED,
                null);
    }
}
