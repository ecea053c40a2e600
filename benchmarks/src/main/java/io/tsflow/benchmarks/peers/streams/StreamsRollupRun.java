package io.tsflow.benchmarks.peers.streams;

import io.tsflow.benchmarks.peers.PeerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs {@link StreamsRollupTopology} as a Kafka Streams application: {@code exactly_once_v2}, two
 * stream threads (tsflow's parallelism), a commit every second (ten times the exactly-once default
 * of 100 ms, fewer transactions; the output of a finite input is visible at most a second after it
 * is processed, as a Flink job's is at its final checkpoint), the producer settings of tsflow's
 * sinks, state in a fresh directory.
 */
public final class StreamsRollupRun implements AutoCloseable {

    private final KafkaStreams streams;
    private final Path stateDir;

    private StreamsRollupRun(KafkaStreams streams, Path stateDir) {
        this.streams = streams;
        this.stateDir = stateDir;
    }

    /** Starts the application; it runs until {@link #close()}. */
    public static StreamsRollupRun start(PeerTopics topics) throws Exception {
        Path stateDir = Files.createTempDirectory("tsflow-bench-streams");
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.output());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrap());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 262_144);
        properties.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 900_000);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 5_000);
        properties.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams =
                new KafkaStreams(
                        StreamsRollupTopology.build(
                                topics.observations(), topics.output(), topics.registryUrl()),
                        properties);
        streams.setUncaughtExceptionHandler(
                error -> {
                    error.printStackTrace();
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                            .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
        streams.start();
        return new StreamsRollupRun(streams, stateDir);
    }

    public boolean failed() {
        return streams.state() == KafkaStreams.State.ERROR
                || streams.state() == KafkaStreams.State.PENDING_ERROR;
    }

    @Override
    public void close() throws Exception {
        streams.close();
        streams.cleanUp();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
