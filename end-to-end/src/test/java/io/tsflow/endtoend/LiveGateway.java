package io.tsflow.endtoend;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A gateway reporting live: every {@code periodMillis}, one reading per room of {@code
 * building.temperature}, stamped with the wall clock, produced to topic raw keyed by series. Keeps
 * every point it sent, for the expected results.
 */
final class LiveGateway implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int rooms;
    private final Map<GatewayBacklog.Series, TreeMap<Long, Double>> sent = new HashMap<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final java.util.concurrent.atomic.AtomicLong lost =
            new java.util.concurrent.atomic.AtomicLong();
    private long lastMillis;
    private long readings;

    LiveGateway(KafkaProducer<byte[], byte[]> producer, String topic, int rooms) {
        this.producer = producer;
        this.topic = topic;
        this.rooms = rooms;
    }

    LiveGateway start(long periodMillis) {
        clock.scheduleAtFixedRate(this::report, 0, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void report() {
        long millis = Math.max(System.currentTimeMillis(), lastMillis + 1);
        lastMillis = millis;
        for (int room = 0; room < rooms; room++) {
            GatewayBacklog.Series series =
                    new GatewayBacklog.Series(
                            "building.temperature",
                            Map.of("gateway", "live", "room", "r" + room),
                            false);
            double value = 18 + room + (readings % 50) / 10.0;
            String json =
                    "{\"metric\":\"building.temperature\",\"tagset\":{\"gateway\":\"live\","
                            + "\"room\":\"r"
                            + room
                            + "\"},\"type\":\"tdouble\",\"values\":[["
                            + millis
                            + ","
                            + value
                            + "]]}";
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            series.kafkaKey().getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)),
                    (metadata, error) -> {
                        if (error != null) {
                            lost.incrementAndGet();
                        }
                    });
            sent.computeIfAbsent(series, s -> new TreeMap<>()).put(millis, value);
        }
        readings++;
    }

    /** Stops reporting; returns every point sent, by series. */
    Map<GatewayBacklog.Series, TreeMap<Long, Double>> stop() throws Exception {
        clock.shutdown();
        if (!clock.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the gateway did not stop");
        }
        producer.flush();
        if (lost.get() > 0) {
            throw new IllegalStateException(lost.get() + " readings never reached Kafka");
        }
        synchronized (this) {
            return sent;
        }
    }

    synchronized long pointsSent() {
        return readings * rooms;
    }

    @Override
    public void close() {
        clock.shutdownNow();
        producer.close();
    }
}
