package io.tsflow.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Small helpers over the real test broker: fresh topics, producing, reading everything committed.
 */
public final class TestKafka {

    private final String bootstrap;

    public TestKafka(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** A topic name no other test uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates a topic that keeps its records forever: test records carry fixed timestamps that may
     * be older than the broker's default retention, which would delete them in the middle of a
     * test.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Map<String, String> withRetention = new java.util.HashMap<>(configs);
        withRetention.putIfAbsent("retention.ms", "-1");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(name, partitions, (short) 1)
                                            .configs(withRetention)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void createTopics(int partitions, String... names) {
        for (String name : names) {
            createTopic(name, partitions, Map.of());
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.serializer", ByteArraySerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        properties.put("max.request.size", Integer.toString(16 * 1024 * 1024));
        properties.put("linger.ms", "5");
        return new KafkaProducer<>(properties);
    }

    /**
     * Produces {@code values} in order to partition {@code partition} and waits until all are
     * acknowledged.
     */
    public void produce(
            String topic,
            Integer partition,
            Collection<byte[]> values,
            Map<String, byte[]> headers) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (byte[] value : values) {
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(topic, partition, null, value);
                headers.forEach((k, v) -> record.headers().add(new RecordHeader(k, v)));
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Sends every record, in order, and returns where each landed. */
    public List<org.apache.kafka.clients.producer.RecordMetadata> sendAll(
            List<ProducerRecord<byte[], byte[]>> records) {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
                new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            List<org.apache.kafka.clients.producer.RecordMetadata> metadata = new ArrayList<>();
            for (var future : sent) {
                metadata.add(future.get(30, TimeUnit.SECONDS));
            }
            return metadata;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot produce", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every committed record of {@code topic} now, read with isolation.level=read_committed. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, Duration timeout) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        properties.put("max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, timeout).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> end = stableEndOffsets(partitions, timeout, deadline);
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * The end offsets once every transaction is resolved: a commit returns before the broker has
     * written its markers into the partitions, so right after a job ends the last stable offset can
     * still lag behind.
     */
    private Map<TopicPartition, Long> stableEndOffsets(
            List<TopicPartition> partitions, Duration timeout, long deadline) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("isolation.level", "read_committed");
        Properties uncommitted = (Properties) properties.clone();
        uncommitted.put("isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> stable = new KafkaConsumer<>(properties);
                KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(uncommitted)) {
            while (true) {
                Map<TopicPartition, Long> committedEnd = stable.endOffsets(partitions, timeout);
                if (committedEnd.equals(all.endOffsets(partitions, timeout))
                        || System.nanoTime() > deadline) {
                    return committedEnd;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * Whether consumer group {@code group} has committed offsets past the last committed record of
     * every partition of {@code topic}: it has read everything committed. (Not the end offset: a
     * transaction's commit marker sits after its last record, and a consumer's committed offset
     * stops before it.)
     */
    public boolean groupConsumedAll(String group, String topic) {
        Map<TopicPartition, Long> needed = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(topic, Duration.ofSeconds(30))) {
            needed.merge(
                    new TopicPartition(topic, record.partition()), record.offset() + 1, Math::max);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(group);
        for (Map.Entry<TopicPartition, Long> last : needed.entrySet()) {
            OffsetAndMetadata offset = committed.get(last.getKey());
            if (offset == null || offset.offset() < last.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The sum of the offsets consumer group {@code group} has committed, over all topics. */
    public long groupCommittedSum(String group) {
        return committedOffsets(group).values().stream()
                .filter(java.util.Objects::nonNull)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The number of records in {@code topic}, transactional or not, committed or not. */
    public long countAll(String topic) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
