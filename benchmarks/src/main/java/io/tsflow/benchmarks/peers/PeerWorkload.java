package io.tsflow.benchmarks.peers;

import io.tsflow.benchmarks.rollup.SensorReadings;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The input every peer reads: {@link SensorReadings} in time order, as the ingest job writes them
 * to {@code observations} (Confluent wire format, keyed by series key, so each series is in order
 * in one partition), followed in each partition by two readings of a flush series four and two
 * hours later. Kafka Streams closes a window only when a later record arrives; the flush readings
 * close every bucket of the real series in all three peers, and are left out of the comparison.
 */
public final class PeerWorkload {

    static final String FLUSH_METRIC = "bench.flush";
    private static final long HOUR_MICROS = 3_600_000_000L;

    private final int series;
    private final long points;
    private final SensorReadings readings;
    private long lastMicros = Long.MIN_VALUE;

    public PeerWorkload(int series, long points) {
        this.series = series;
        this.points = points;
        this.readings = new SensorReadings(series, points);
    }

    public int series() {
        return series;
    }

    public long points() {
        return points;
    }

    /** Whether a bucket's series is one of the flush series, not compared. */
    static boolean isFlush(String seriesKey) {
        return seriesKey.startsWith(FLUSH_METRIC + "{");
    }

    /** Produces the readings and the flush readings to {@code topic} (two partitions). */
    public void produce(String bootstrap, String registryUrl, String topic) throws Exception {
        ConfluentAvroEncoder<Observation> encoder =
                new ConfluentAvroEncoder<>(
                        new SchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        topic + "-value",
                        Observation.getClassSchema());
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (long i = 0; i < points; i++) {
                Observation reading = readings.reading(i);
                lastMicros = Math.max(lastMicros, reading.getTimestampMicros());
                send(producer, topic, null, reading, encoder, failure);
            }
            for (int partition = 0; partition < 2; partition++) {
                for (int hours = 2; hours <= 4; hours += 2) {
                    send(
                            producer,
                            topic,
                            partition,
                            flush(partition, lastMicros + hours * HOUR_MICROS),
                            encoder,
                            failure);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("cannot load " + topic, failure.get());
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrap);
        properties.setProperty("acks", "all");
        properties.setProperty("compression.type", "lz4");
        properties.setProperty("linger.ms", "20");
        properties.setProperty("batch.size", "262144");
        return new KafkaProducer<>(
                properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Observation flush(int partition, long micros) {
        return new Observation(
                FLUSH_METRIC + "{partition=\"" + partition + "\"}",
                FLUSH_METRIC,
                Map.of("partition", Integer.toString(partition)),
                "tdouble",
                micros,
                0.0,
                Origin.MEASURED,
                null);
    }

    /**
     * Live traffic after the input, for a peer that, like Kafka Streams with {@code
     * EmitStrategy.onWindowClose()}, looks for closed windows at most once a second of wall time
     * and only when a record arrives: each {@link Runnable#run()} at least a second after the
     * previous one produces one more flush reading to each partition, six hours and some seconds
     * after the input. Run that peer after the others: the readings stay on the topic.
     */
    public Ticker ticker(String bootstrap, String registryUrl, String topic) throws Exception {
        return new Ticker(bootstrap, registryUrl, topic);
    }

    /** See {@link #ticker}. */
    public final class Ticker implements Runnable, AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final ConfluentAvroEncoder<Observation> encoder;
        private final String topic;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private long lastTickNanos = System.nanoTime();
        private long ticks;

        private Ticker(String bootstrap, String registryUrl, String topic) throws Exception {
            this.producer = producer(bootstrap);
            this.encoder =
                    new ConfluentAvroEncoder<>(
                            new SchemaRegistryClient(RegistrySettings.of(registryUrl)),
                            topic + "-value",
                            Observation.getClassSchema());
            this.topic = topic;
        }

        @Override
        public void run() {
            if (System.nanoTime() - lastTickNanos < 1_000_000_000L) {
                return;
            }
            lastTickNanos = System.nanoTime();
            ticks++;
            try {
                for (int partition = 0; partition < 2; partition++) {
                    long micros = lastMicros + 6 * HOUR_MICROS + ticks * 1_000_000L;
                    send(producer, topic, partition, flush(partition, micros), encoder, failure);
                }
                producer.flush();
            } catch (Exception e) {
                throw new IllegalStateException("cannot tick " + topic, e);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("cannot tick " + topic, failure.get());
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            Integer partition,
            Observation reading,
            ConfluentAvroEncoder<Observation> encoder,
            AtomicReference<Exception> failure)
            throws Exception {
        producer.send(
                new ProducerRecord<>(
                        topic,
                        partition,
                        reading.getSeriesKey().getBytes(StandardCharsets.UTF_8),
                        encoder.encode(reading)),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    /**
     * The 1m and 1h buckets of the real series, computed here, independently of the three peers:
     * every peer's output is compared with these.
     */
    public Map<String, BucketValues> expectedBuckets() {
        Map<String, double[]> sums = new HashMap<>();
        for (long i = 0; i < points; i++) {
            Observation reading = readings.reading(i);
            long micros = reading.getTimestampMicros();
            double value = (Double) reading.getValue();
            add(sums, BucketValues.key(reading.getSeriesKey(), "1m", floor(micros, 60)), value);
            add(sums, BucketValues.key(reading.getSeriesKey(), "1h", floor(micros, 3_600)), value);
        }
        Map<String, BucketValues> buckets = new HashMap<>(sums.size() * 2);
        sums.forEach(
                (key, s) ->
                        buckets.put(
                                key, new BucketValues((long) s[0], s[1], s[2], s[3], s[1] / s[0])));
        return buckets;
    }

    private static long floor(long micros, long seconds) {
        return Math.floorDiv(micros, seconds * 1_000_000L) * seconds * 1_000_000L;
    }

    private static void add(Map<String, double[]> sums, String key, double value) {
        double[] s = sums.computeIfAbsent(key, k -> new double[] {0, 0, value, value});
        s[0]++;
        s[1] += value;
        s[2] = Math.min(s[2], value);
        s[3] = Math.max(s[3], value);
    }
}
