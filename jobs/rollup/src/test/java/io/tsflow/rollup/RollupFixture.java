package io.tsflow.rollup;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.rollup.RollupTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import io.tsflow.testing.flink.CheckpointPacedSource;
import io.tsflow.testing.flink.TestClusters;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Fresh topics, keyspace and configuration for one rollup job test against the real servers. */
final class RollupFixture implements AutoCloseable {

    final LocalServers servers = LocalServers.get();
    final TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
    final String observations = TestKafka.uniqueName("observations");
    final String aggregations = TestKafka.uniqueName("aggregations");
    final String late = TestKafka.uniqueName("late");
    final String deadLetter = TestKafka.uniqueName("rollup-dead-letter");
    final String keyspace = TestCassandra.uniqueKeyspace("rollup");
    final String group = TestKafka.uniqueName("rollup-test");
    final RollupConfig config;
    final SchemaRegistryClient registry;
    final CqlSession cassandra = TestCassandra.session(servers.cassandraContact());
    private final ConfluentAvroEncoder<Observation> encoder;

    RollupFixture(String levelsAndRules) throws Exception {
        kafka.createTopics(2, observations, aggregations, late, deadLetter);
        String yaml =
                servers.connectionYaml(keyspace)
                        + "checkpoints: {interval: 300ms}\n"
                        + "topics: {observations: "
                        + observations
                        + ", aggregations: "
                        + aggregations
                        + ", lateObservations: "
                        + late
                        + ", deadLetter: "
                        + deadLetter
                        + "}\n"
                        + "consumerGroup: "
                        + group
                        + "\n"
                        + "transactionalIdPrefix: "
                        + group
                        + "\n"
                        + "outOfOrderness: 5s\n"
                        + levelsAndRules;
        config =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        RollupConfig.class,
                        "rollup-test");
        RollupTable.applySchema(config.cassandra());
        registry = new SchemaRegistryClient(config.schemaRegistry());
        encoder =
                new ConfluentAvroEncoder<>(
                        registry, observations + "-value", Observation.getClassSchema());
    }

    void send(List<Observation> points, byte[]... garbage) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Observation o : points) {
            records.add(
                    new ProducerRecord<>(
                            observations,
                            o.getSeriesKey().hashCode() & 1,
                            null,
                            o.getSeriesKey().getBytes(StandardCharsets.UTF_8),
                            encoder.encode(o)));
        }
        for (byte[] bad : garbage) {
            records.add(new ProducerRecord<>(observations, 0, null, null, bad));
        }
        kafka.sendAll(records);
    }

    /** Runs the job over everything sent, with {@code storage} as the Cassandra sink. */
    void run(int restarts, SinkApplier<Aggregation> storage) throws Exception {
        run(restarts, storage, observationsSource());
    }

    /**
     * Runs the job with each source reader emitting at most {@code recordsPerCheckpoint} records
     * between completed checkpoints, so that checkpoints cut the stream on any machine.
     */
    void runPaced(int restarts, SinkApplier<Aggregation> storage, int recordsPerCheckpoint)
            throws Exception {
        run(
                restarts,
                storage,
                new CheckpointPacedSource<>(observationsSource(), recordsPerCheckpoint));
    }

    private Source<DecodedObservation, ?, ?> observationsSource() {
        return ObservationsInput.boundedSource(
                config.kafka(), config.schemaRegistry(), observations, group, "rollup");
    }

    private void run(
            int restarts, SinkApplier<Aggregation> storage, Source<DecodedObservation, ?, ?> source)
            throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(restarts);
        JobEnvironment.configure(env, config.checkpoints());
        RollupJob.defineWorkflow(
                env, config, source, RollupSinks.production(config).withStorage(storage));
        env.execute("rollup-test");
    }

    /** The latest revision of every bucket in topic aggregations, by its record key. */
    Map<String, Aggregation> latestBuckets() throws Exception {
        ConfluentAvroDecoder<Aggregation> decoder =
                new ConfluentAvroDecoder<>(registry, Aggregation.getClassSchema());
        Map<String, Aggregation> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(aggregations, Duration.ofSeconds(60))) {
            Aggregation bucket = decoder.decode(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (!key.equals(
                    bucket.getSeriesKey()
                            + "|"
                            + bucket.getInterval()
                            + "|"
                            + bucket.getBucketStartMicros())) {
                throw new AssertionError("record key " + key + " does not name its bucket");
            }
            latest.merge(key, bucket, (a, b) -> b.getRevision() > a.getRevision() ? b : a);
        }
        return latest;
    }

    List<Rejected> deadLetters() throws Exception {
        return rejected(deadLetter);
    }

    List<Rejected> lateObservations() throws Exception {
        return rejected(late);
    }

    private List<Rejected> rejected(String topic) throws Exception {
        ConfluentAvroDecoder<Rejected> decoder =
                new ConfluentAvroDecoder<>(registry, Rejected.getClassSchema());
        List<Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(topic, Duration.ofSeconds(60))) {
            rejected.add(decoder.decode(record.value()));
        }
        return rejected;
    }

    long rows() {
        return cassandra.execute("SELECT count(*) FROM " + keyspace + ".rollups").one().getLong(0);
    }

    @Override
    public void close() {
        cassandra.execute("DROP KEYSPACE IF EXISTS " + keyspace);
        cassandra.close();
    }
}
