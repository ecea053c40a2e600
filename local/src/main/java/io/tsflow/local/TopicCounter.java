package io.tsflow.local;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the jobs commit to a topic from now on, as a downstream read_committed consumer sees
 * it, and hands each record's value to an optional inspector (dead-letter reasons, alerts).
 */
final class TopicCounter implements Runnable {

    private final String bootstrap;
    private final String topic;
    private final Consumer<byte[]> inspector;
    private volatile boolean running = true;
    final AtomicLong records = new AtomicLong();

    TopicCounter(String bootstrap, String topic, Consumer<byte[]> inspector) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.inspector = inspector;
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
                    if (inspector != null) {
                        inspector.accept(record.value());
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    void stop() {
        running = false;
    }
}
