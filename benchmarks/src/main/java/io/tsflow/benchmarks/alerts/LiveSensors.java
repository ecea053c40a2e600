package io.tsflow.benchmarks.alerts;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A live fleet for the alerts benchmark: reading {@code i} belongs to sensor {@code i % sensors}
 * and carries the wall-clock time it is generated, so the job sees a current input. From {@code
 * silenceAtMillis} on, every sensor whose number is a multiple of {@code silencedEvery} stops: its
 * turns go to the next sensor. The time of each such sensor's last reading is kept in {@link
 * #lastReadingMillis} (the harness and the MiniCluster share one JVM) to measure alert delays.
 */
public final class LiveSensors implements GeneratorFunction<Long, Observation> {

    private static final long serialVersionUID = 1L;

    static volatile AtomicLongArray lastReadingMillis = new AtomicLongArray(0);

    private final int sensors;
    private final int silencedEvery;
    private final long silenceAtMillis;
    private transient String[] keys;
    private transient Map<String, String>[] tags;

    public LiveSensors(int sensors, int silencedEvery, long silenceAtMillis) {
        this.sensors = sensors;
        this.silencedEvery = silencedEvery;
        this.silenceAtMillis = silenceAtMillis;
    }

    static String key(int sensor) {
        return SeriesKey.of("bench.temperature", new TreeMap<>(Map.of("sensor", "s" + sensor)));
    }

    static boolean silenced(int sensor, int silencedEvery) {
        return sensor % silencedEvery == 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Observation map(Long index) {
        if (keys == null) {
            keys = new String[sensors];
            tags = new Map[sensors];
            for (int s = 0; s < sensors; s++) {
                keys[s] = key(s);
                tags[s] = Map.of("sensor", "s" + s);
            }
        }
        long now = System.currentTimeMillis();
        int sensor = (int) (index % sensors);
        if (silenced(sensor, silencedEvery)) {
            if (now >= silenceAtMillis) {
                sensor = (sensor + 1) % sensors;
            } else if (sensor / silencedEvery < lastReadingMillis.length()) {
                lastReadingMillis.accumulateAndGet(sensor / silencedEvery, now, Math::max);
            }
        }
        return new Observation(
                keys[sensor],
                "bench.temperature",
                tags[sensor],
                "tdouble",
                now * 1000,
                20.0 + (index % 7),
                Origin.MEASURED,
                null);
    }
}
