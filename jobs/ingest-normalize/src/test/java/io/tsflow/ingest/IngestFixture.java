package io.tsflow.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import io.tsflow.testing.flink.CheckpointPacedSource;
import io.tsflow.testing.flink.TestClusters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Fresh topics, keyspace and configuration for one ingest job test against the real servers. */
final class IngestFixture implements AutoCloseable {

    final LocalServers servers = LocalServers.get();
    final TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
    final String raw = TestKafka.uniqueName("raw");
    final String observations = TestKafka.uniqueName("observations");
    final String deadLetter = TestKafka.uniqueName("dead-letter");
    final String keyspace = TestCassandra.uniqueKeyspace("ingest");
    final IngestConfig config;
    final CqlSession cassandra = TestCassandra.session(servers.cassandraContact());
    final SchemaRegistryClient registry;
    private final long createdAtMillis = System.currentTimeMillis();

    IngestFixture() throws IOException {
        this("");
    }

    /** With {@code ingestSettings} added under the {@code ingest} section (two-space indent). */
    IngestFixture(String ingestSettings) throws IOException {
        kafka.createTopic(raw, 2, Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)));
        kafka.createTopic(
                deadLetter, 2, Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)));
        kafka.createTopics(2, observations);
        String yaml;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("ingest-test.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        yaml =
                yaml.replace("${KAFKA}", servers.kafkaBootstrap())
                                .replace("${REGISTRY}", servers.registryUrl())
                                .replace("${CASSANDRA}", servers.cassandraContact())
                                .replace("${KEYSPACE}", keyspace)
                                .replace("${RAW}", raw)
                                .replace("${OBSERVATIONS}", observations)
                                .replace("${DEAD_LETTER}", deadLetter)
                                .replace("${GROUP}", TestKafka.uniqueName("ingest-test"))
                        + ingestSettings;
        config =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        IngestConfig.class,
                        "ingest-test.yaml");
        registry = new SchemaRegistryClient(config.schemaRegistry());
        RawTable.applySchema(config.cassandra());
    }

    /** The number of rows in one of the job's tables. */
    long rows(String table) {
        return cassandra.execute("SELECT count(*) FROM " + keyspace + "." + table).one().getLong(0);
    }

    StreamExecutionEnvironment environment(int restarts) {
        StreamExecutionEnvironment env = TestClusters.environment(restarts);
        io.tsflow.runtime.JobEnvironment.configure(env, config.checkpoints());
        return env;
    }

    void run(StreamExecutionEnvironment env, SinkApplier<Observation> storage) throws Exception {
        run(env, IngestNormalizeJob.boundedRawSource(config), storage);
    }

    /**
     * Runs the job with each source reader emitting at most {@code recordsPerCheckpoint} records
     * between completed checkpoints, so that checkpoints cut the stream on any machine.
     */
    void runPaced(
            StreamExecutionEnvironment env,
            SinkApplier<Observation> storage,
            int recordsPerCheckpoint)
            throws Exception {
        run(
                env,
                new CheckpointPacedSource<>(
                        IngestNormalizeJob.boundedRawSource(config), recordsPerCheckpoint),
                storage);
    }

    private void run(
            StreamExecutionEnvironment env,
            Source<UndecodedRecord, ?, ?> source,
            SinkApplier<Observation> storage)
            throws Exception {
        IngestNormalizeJob.defineWorkflow(
                env, config, source, IngestSinks.production(config).withStorage(storage));
        env.execute("ingest-test");
    }

    List<Observation> observations() throws Exception {
        ConfluentAvroDecoder<Observation> decoder =
                new ConfluentAvroDecoder<>(registry, Observation.getClassSchema());
        List<Observation> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(observations, Duration.ofSeconds(60))) {
            Observation observation = decoder.decode(record.value());
            if (record.timestamp() < createdAtMillis) {
                // Stamped with the (old) raw record time, retention would delete it at once.
                throw new AssertionError("observation stamped in the past: " + record.timestamp());
            }
            if (!new String(record.key(), StandardCharsets.UTF_8)
                    .equals(observation.getSeriesKey())) {
                throw new AssertionError("record key is not the series key: " + observation);
            }
            out.add(observation);
        }
        return out;
    }

    List<Rejected> deadLetters() throws Exception {
        ConfluentAvroDecoder<Rejected> decoder =
                new ConfluentAvroDecoder<>(registry, Rejected.getClassSchema());
        List<Rejected> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(deadLetter, Duration.ofSeconds(60))) {
            out.add(decoder.decode(record.value()));
        }
        return out;
    }

    @Override
    public void close() {
        cassandra.execute("DROP KEYSPACE IF EXISTS " + keyspace);
        cassandra.close();
    }
}
