package io.tsflow.benchmarks.peers;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Aggregation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The buckets a peer published on its output topic, read as a downstream consumer would
 * (read_committed), the latest revision of each, compared with the expected buckets.
 */
public final class PublishedBuckets {

    /** How a peer's output compares with the expected buckets. */
    public record Comparison(int expected, int matching, int wrong, int missing, long records) {
        public boolean exact() {
            return matching == expected && wrong == 0 && missing == 0;
        }

        @Override
        public String toString() {
            return String.format(
                    "%,d of %,d buckets equal (%,d wrong, %,d missing, %,d records read)",
                    matching, expected, wrong, missing, records);
        }
    }

    private final Map<String, BucketValues> latest = new HashMap<>();
    private final Map<String, Integer> revisions = new HashMap<>();
    private long records;

    PublishedBuckets() {}

    /** Reads {@code topic} to its last committed offset (the peer has finished). */
    public static PublishedBuckets readAll(String bootstrap, String registryUrl, String topic)
            throws Exception {
        PublishedBuckets buckets = new PublishedBuckets();
        buckets.read(bootstrap, registryUrl, topic);
        return buckets;
    }

    /**
     * Waits until {@code topic} holds {@code expected} committed records of the real series (a peer
     * that never ends, which emits each bucket once), counting keys without decoding, and calls
     * {@code betweenPolls} between polls; fails after {@code timeout}.
     */
    public static void awaitRealRecords(
            String bootstrap,
            String topic,
            long expected,
            Duration timeout,
            Runnable betweenPolls) {
        byte[] flushPrefix = (PeerWorkload.FLUSH_METRIC + "{").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = fromTheStart(bootstrap, topic)) {
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            String.format(
                                    "%s: %,d records of the real series after %s, %,d awaited",
                                    topic, seen, timeout, expected));
                }
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(100))) {
                    if (!Arrays.equals(
                            record.key(),
                            0,
                            Math.min(record.key().length, flushPrefix.length),
                            flushPrefix,
                            0,
                            flushPrefix.length)) {
                        seen++;
                    }
                }
                betweenPolls.run();
            }
        }
    }

    /** A read_committed consumer of every partition of {@code topic}, at its start. */
    private static KafkaConsumer<byte[], byte[]> fromTheStart(String bootstrap, String topic) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrap);
        properties.setProperty("isolation.level", "read_committed");
        properties.setProperty("enable.auto.commit", "false");
        properties.setProperty("max.poll.records", "10000");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private void read(String bootstrap, String registryUrl, String topic) throws Exception {
        ConfluentAvroDecoder<Aggregation> decoder =
                new ConfluentAvroDecoder<>(
                        new SchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        Aggregation.getClassSchema());
        try (KafkaConsumer<byte[], byte[]> consumer = fromTheStart(bootstrap, topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (!reached(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    add(decoder.decode(record.value()));
                }
            }
        }
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Takes one published record: the latest revision of a bucket wins, whatever its order. */
    void add(Aggregation bucket) {
        records++;
        if (PeerWorkload.isFlush(bucket.getSeriesKey())) {
            return;
        }
        String key =
                BucketValues.key(
                        bucket.getSeriesKey(), bucket.getInterval(), bucket.getBucketStartMicros());
        Integer seen = revisions.get(key);
        if (seen != null && seen > bucket.getRevision()) {
            return;
        }
        revisions.put(key, bucket.getRevision());
        latest.put(
                key,
                new BucketValues(
                        bucket.getCount(),
                        bucket.getNumeric().getSum(),
                        bucket.getNumeric().getMin(),
                        bucket.getNumeric().getMax(),
                        bucket.getNumeric().getMean()));
    }

    /** Compares the latest revision of every bucket with {@code expected}. */
    public Comparison compareWith(Map<String, BucketValues> expected) {
        int matching = 0;
        int wrong = 0;
        int missing = 0;
        for (Map.Entry<String, BucketValues> bucket : expected.entrySet()) {
            BucketValues published = latest.get(bucket.getKey());
            if (published == null) {
                missing++;
            } else if (published.matches(bucket.getValue())) {
                matching++;
            } else {
                wrong++;
            }
        }
        // Buckets no one expected count as wrong.
        wrong += latest.size() - matching - wrong;
        return new Comparison(expected.size(), matching, wrong, missing, records);
    }
}
