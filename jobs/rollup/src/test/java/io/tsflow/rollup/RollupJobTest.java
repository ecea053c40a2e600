package io.tsflow.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.job.JobEnvironment;
import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.connectors.kafka.RawRecordDeserializer;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import io.tsflow.testing.flink.TestClusters;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rollup job on a MiniCluster (parallelism 2) against the real Kafka, registry and Cassandra.
 */
class RollupJobTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    @Test
    void observationsBecomeBucketsInKafkaAndCassandra() throws Exception {
        LocalServers servers = LocalServers.get();
        TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
        String observations = TestKafka.uniqueName("observations");
        String aggregations = TestKafka.uniqueName("aggregations");
        String late = TestKafka.uniqueName("late");
        String deadLetter = TestKafka.uniqueName("rollup-dead-letter");
        kafka.createTopics(2, observations, aggregations, late, deadLetter);
        String keyspace = TestCassandra.uniqueKeyspace("rollup");
        String group = TestKafka.uniqueName("rollup-test");
        String yaml =
                "kafka: {bootstrapServers: '"
                        + servers.kafkaBootstrap()
                        + "'}\n"
                        + "schemaRegistry: {url: '"
                        + servers.registryUrl()
                        + "'}\n"
                        + "cassandra: {contactPoints: ['"
                        + servers.cassandraContact()
                        + "'], keyspace: "
                        + keyspace
                        + "}\n"
                        + "checkpoints: {interval: 500ms}\n"
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
                        + "levels:\n"
                        + "  - {interval: 1m, allowedLateness: 1m, retention: 90d}\n"
                        + "  - {interval: 1h, allowedLateness: 5m, retention: 730d}\n"
                        + "rules:\n"
                        + "  - {name: requests, metric: 'http\\.requests', counter: true}\n";
        RollupConfig config =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        RollupConfig.class,
                        "rollup-test");
        RollupJob.applySchema(config.cassandra());

        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        ConfluentAvroEncoder<Observation> encoder =
                new ConfluentAvroEncoder<>(
                        registry, observations + "-value", Observation.getClassSchema());
        long start = Instant.parse("2025-11-22T10:00:00Z").toEpochMilli() * 1000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long micros = start + i * 30_000_000L;
            Observation temperature =
                    new Observation(
                            "room.temperature{room=\"1\"}",
                            "room.temperature",
                            Map.of("room", "1"),
                            "tdouble",
                            micros,
                            20.0 + i % 7,
                            Origin.MEASURED,
                            null);
            Observation requests =
                    new Observation(
                            "http.requests{host=\"a\"}",
                            "http.requests",
                            Map.of("host", "a"),
                            "tlong",
                            micros,
                            (long) (i < 100 ? i * 10 : (i - 100) * 10),
                            Origin.MEASURED,
                            null);
            for (Observation o : List.of(temperature, requests)) {
                records.add(
                        new ProducerRecord<>(
                                observations,
                                o.getSeriesKey().hashCode() & 1,
                                null,
                                o.getSeriesKey().getBytes(StandardCharsets.UTF_8),
                                encoder.encode(o)));
            }
        }
        records.add(
                new ProducerRecord<>(
                        observations, 0, null, null, "not avro".getBytes(StandardCharsets.UTF_8)));
        kafka.sendAll(records);

        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        JobEnvironment.configure(env, config.checkpoints());
        RollupJob.defineWorkflow(
                env,
                config,
                KafkaConnectors.boundedSource(
                        config.kafka(), observations, group, new RawRecordDeserializer()));
        env.execute("rollup-test");

        ConfluentAvroDecoder<Aggregation> decoder =
                new ConfluentAvroDecoder<>(registry, Aggregation.getClassSchema());
        Map<String, Aggregation> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(aggregations, Duration.ofSeconds(60))) {
            Aggregation bucket = decoder.decode(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(key)
                    .isEqualTo(
                            bucket.getSeriesKey()
                                    + "|"
                                    + bucket.getInterval()
                                    + "|"
                                    + bucket.getBucketStartMicros());
            latest.merge(key, bucket, (a, b) -> b.getRevision() > a.getRevision() ? b : a);
        }
        assertThat(latest).hasSize(2 * (60 + 1));
        Aggregation hour = latest.get("room.temperature{room=\"1\"}|1h|" + start);
        assertThat(hour.getCount()).isEqualTo(120);
        assertThat(hour.getNumeric().getMin()).isEqualTo(20.0);
        assertThat(hour.getNumeric().getMax()).isEqualTo(26.0);
        // The counter restarted at point 100: 990 before the reset, then 0..190 after it.
        Aggregation requestsHour = latest.get("http.requests{host=\"a\"}|1h|" + start);
        assertThat(requestsHour.getNumeric().getCounterIncrease()).isEqualTo(990.0 + 190.0);
        Aggregation minute = latest.get("room.temperature{room=\"1\"}|1m|" + (start + 60_000_000L));
        assertThat(minute.getCount()).isEqualTo(2);

        List<Rejected> rejected = new ArrayList<>();
        ConfluentAvroDecoder<Rejected> rejectedDecoder =
                new ConfluentAvroDecoder<>(registry, Rejected.getClassSchema());
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(deadLetter, Duration.ofSeconds(60))) {
            rejected.add(rejectedDecoder.decode(record.value()));
        }
        assertThat(rejected).extracting(Rejected::getReason).containsExactly("MALFORMED_AVRO");

        try (CqlSession session = TestCassandra.session(servers.cassandraContact())) {
            assertThat(
                            session.execute("SELECT count(*) FROM " + keyspace + ".rollups")
                                    .one()
                                    .getLong(0))
                    .isEqualTo(latest.size());
            Row row =
                    session.execute(
                                    "SELECT count, max, quantiles, revision FROM "
                                            + keyspace
                                            + ".rollups WHERE series_key ="
                                            + " 'room.temperature{room=\"1\"}' AND interval = '1h'"
                                            + " AND shard = '2025' AND bucket_start_micros = "
                                            + start)
                            .one();
            assertThat(row.getLong("count")).isEqualTo(120);
            assertThat(row.getDouble("max")).isEqualTo(26.0);
            assertThat(row.getMap("quantiles", String.class, Double.class))
                    .containsKeys("p50", "p90", "p95", "p99");
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }
}
