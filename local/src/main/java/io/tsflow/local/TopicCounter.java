package io.tsflow.local;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the job commits to a topic from now on, as a downstream read_committed consumer sees
 * it; for the dead-letter topic also by reason.
 */
final class TopicCounter implements Runnable {

    private final String bootstrap;
    private final String topic;
    private final ConfluentAvroDecoder<Rejected> rejectedDecoder;
    private volatile boolean running = true;
    final AtomicLong records = new AtomicLong();
    final Map<String, AtomicLong> byReason = new ConcurrentHashMap<>();

    TopicCounter(String bootstrap, String topic, SchemaRegistryClient registryForRejected) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.rejectedDecoder =
                registryForRejected == null
                        ? null
                        : new ConfluentAvroDecoder<>(
                                registryForRejected, Rejected.getClassSchema());
    }

    private KafkaConsumer<byte[], byte[]> consumer;

    /** Positions at the current end, so only what arrives after this call is counted. */
    TopicCounter startAtEnd() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return this;
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    records.incrementAndGet();
                    if (rejectedDecoder != null) {
                        String reason;
                        try {
                            reason = rejectedDecoder.decode(record.value()).getReason();
                        } catch (Exception e) {
                            reason = "(undecodable)";
                        }
                        byReason.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    Map<String, Long> reasons() {
        Map<String, Long> sorted = new TreeMap<>();
        byReason.forEach((reason, count) -> sorted.put(reason, count.get()));
        return sorted;
    }

    void stop() {
        running = false;
    }
}
