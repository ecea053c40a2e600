package io.tsflow.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.derived.pipeline.DerivedPipeline;
import io.tsflow.rollup.RollupJob;
import io.tsflow.rollup.RollupSinks;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.JobSinks;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.rollup.RollupTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import io.tsflow.testing.flink.CheckpointPacedSource;
import io.tsflow.testing.flink.FailOnceMap;
import io.tsflow.testing.flink.TestClusters;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole job on the MiniCluster against the real Kafka and registry. */
class DerivedSeriesJobTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final long T0 = 1_763_805_600_000L; // a multiple of 10 s
    private static final int STEPS = 120; // 20 minutes of 10 s steps
    private static final List<String> SITES = List.of("hq", "lab");

    private final LocalServers servers = LocalServers.get();
    private final TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
    private final String observations = TestKafka.uniqueName("observations");
    private final String deadLetter = TestKafka.uniqueName("derived-dead-letter");
    private final String group = TestKafka.uniqueName("derived-test");
    private final String keyspace = TestCassandra.uniqueKeyspace("derived");
    private final String aggregations = TestKafka.uniqueName("aggregations");

    private DerivedSeriesConfig config() {
        String yaml =
                servers.connectionYaml(keyspace)
                        + "storage: {ttl: 0s}\ncheckpoints: {interval: 300ms}\n"
                        + "topics: {observations: "
                        + observations
                        + ", deadLetter: "
                        + deadLetter
                        + "}\nconsumerGroup: "
                        + group
                        + "\ntransactionalIdPrefix: "
                        + group
                        + "\noutOfOrderness: 5s\n"
                        + "rules:\n"
                        + "  - {name: power, metric: site.power, by: [site], step: 10s,"
                        + " lookback: 10s, inputs: {voltage: {metric: site\\.voltage},"
                        + " current: {metric: site\\.current}}, expression: 'voltage * current'}\n";
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                DerivedSeriesConfig.class,
                "derived-test");
    }

    private static double voltage(int step, int site) {
        return 230 + step % 5 + site;
    }

    private static double current(int step, int site) {
        return 1 + step / 10.0 + site;
    }

    /** Voltage 3 s and current 7 s into each 10 s, so no two inputs share a timestamp. */
    private void sendReadings(SchemaRegistryClient registry) throws Exception {
        ConfluentAvroEncoder<Observation> encoder =
                new ConfluentAvroEncoder<>(
                        registry, observations + "-value", Observation.getClassSchema());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            for (int site = 0; site < SITES.size(); site++) {
                records.add(
                        record(
                                encoder,
                                "site.voltage",
                                site,
                                T0 + step * 10_000L + 3_000,
                                voltage(step, site)));
                records.add(
                        record(
                                encoder,
                                "site.current",
                                site,
                                T0 + step * 10_000L + 7_000,
                                current(step, site)));
            }
        }
        kafka.sendAll(records);
    }

    private ProducerRecord<byte[], byte[]> record(
            ConfluentAvroEncoder<Observation> encoder,
            String metric,
            int site,
            long at,
            double value)
            throws Exception {
        Map<String, String> tags = Map.of("site", SITES.get(site));
        String key = SeriesKey.of(metric, new TreeMap<>(tags));
        Observation point =
                new Observation(
                        key, metric, tags, "tdouble", at * 1000, value, Origin.MEASURED, null);
        return new ProducerRecord<>(
                observations, key.getBytes(StandardCharsets.UTF_8), encoder.encode(point));
    }

    @Test
    void unalignedVoltageAndCurrentGivePowerExactlyOnceThroughAFailure() throws Exception {
        kafka.createTopics(2, observations, deadLetter);
        DerivedSeriesConfig config = config();
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        sendReadings(registry);

        // The job's graph with a failure injected mid-stream, after some derived points are
        // committed and before the rest.
        String failure = TestKafka.uniqueName("derived-failure");
        StreamExecutionEnvironment env = TestClusters.environment(3);
        JobEnvironment.configure(env, config.checkpoints());
        ObservationsInput.Input input =
                ObservationsInput.read(
                        env,
                        new CheckpointPacedSource<>(
                                ObservationsInput.boundedSource(
                                        config.kafka(),
                                        config.schemaRegistry(),
                                        observations,
                                        group,
                                        "derived-series"),
                                40),
                        ObservationsInput.Timing.none());
        DataStream<Observation> timed = input.observations();
        RawTable.applySchema(config.cassandra());
        DerivedPipeline.Outputs outputs =
                DerivedPipeline.define(
                        timed.map(new FailOnceMap<>(failure, 150)),
                        config.rules(),
                        config.seriesTiming());
        input.sinkDeadLetters(
                "derived-series",
                JobSinks.rejected(config, config.topics().deadLetter(), "-dead-letter"),
                outputs.refused());
        DataStream<Observation> power = outputs.derived();
        power.sinkTo(DerivedSeriesSinks.derivedSink(config));
        power.sinkTo(RawTable.sink(config.cassandra(), config.storage(), "derived-series"));
        env.execute("derived-test");
        assertThat(FailOnceMap.failures(failure)).as("the injected failure happened").isPositive();

        ConfluentAvroDecoder<Observation> decoder =
                new ConfluentAvroDecoder<>(registry, Observation.getClassSchema());
        Map<String, Double> derived = new HashMap<>();
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(observations, Duration.ofSeconds(60))) {
            Observation point = decoder.decode(record.value());
            if (point.getOrigin() == Origin.DERIVED) {
                count++;
                assertThat(point.getDerivedBy()).isEqualTo("power");
                derived.put(
                        point.getSeriesKey() + "@" + point.getTimestampMicros() / 1000,
                        (Double) point.getValue());
            }
        }
        // Step s (s >= 1) sees the voltage of s - 1 (at +3 s) and the current of s - 1 (+7 s).
        Map<String, Double> expected = new HashMap<>();
        for (int step = 1; step <= STEPS; step++) {
            for (int site = 0; site < SITES.size(); site++) {
                expected.put(
                        SeriesKey.of("site.power", new TreeMap<>(Map.of("site", SITES.get(site))))
                                + "@"
                                + (T0 + step * 10_000L),
                        // The expression computes in decimal: 231 * 4.1 is 947.1, not 947.0999...
                        BigDecimal.valueOf(voltage(step - 1, site))
                                .multiply(BigDecimal.valueOf(current(step - 1, site)))
                                .doubleValue());
            }
        }
        assertThat(count).as("each derived point exactly once").isEqualTo(expected.size());
        assertThat(derived).containsExactlyInAnyOrderEntriesOf(expected);

        // Stored in the raw table beside the measured series.
        Map<String, Double> stored = new HashMap<>();
        try (CqlSession cassandra = TestCassandra.session(servers.cassandraContact())) {
            for (Row row :
                    cassandra.execute(
                            "SELECT series_key, ts_micros, value_double FROM "
                                    + keyspace
                                    + ".observations_raw")) {
                stored.put(row.getString(0) + "@" + row.getLong(1) / 1000, row.getDouble(2));
            }
        }
        assertThat(stored).containsExactlyInAnyOrderEntriesOf(expected);

        // And rolled up like any series: the rollup job over the same topic.
        rollUp();
        try (CqlSession cassandra = TestCassandra.session(servers.cassandraContact())) {
            Row hourOfHq =
                    cassandra
                            .execute(
                                    "SELECT count, mean FROM "
                                            + keyspace
                                            + ".rollups WHERE series_key = ? AND interval = '1h'"
                                            + " AND shard = '2025'",
                                    SeriesKey.of("site.power", new TreeMap<>(Map.of("site", "hq"))))
                            .one();
            assertThat(hourOfHq).as("an hourly bucket of the derived series").isNotNull();
            double sum = 0;
            for (int step = 1; step <= STEPS; step++) {
                sum +=
                        BigDecimal.valueOf(voltage(step - 1, 0))
                                .multiply(BigDecimal.valueOf(current(step - 1, 0)))
                                .doubleValue();
            }
            assertThat(hourOfHq.getLong("count")).isEqualTo(STEPS);
            assertThat(hourOfHq.getDouble("mean")).isCloseTo(sum / STEPS, within(1e-9));
        }
    }

    private void rollUp() throws Exception {
        String yaml =
                servers.connectionYaml(keyspace)
                        + "checkpoints: {interval: 300ms}\n"
                        + "topics: {observations: "
                        + observations
                        + ", aggregations: "
                        + aggregations
                        + ", lateObservations: "
                        + aggregations
                        + "-late, deadLetter: "
                        + deadLetter
                        + "}\nconsumerGroup: "
                        + group
                        + "-rollup\ntransactionalIdPrefix: "
                        + group
                        + "-rollup\nlevels: [{interval: 1h, allowedLateness: 1m, retention: 0s}]\n";
        RollupConfig rollup =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        RollupConfig.class,
                        "rollup-of-derived");
        kafka.createTopics(2, aggregations, aggregations + "-late");
        RollupTable.applySchema(rollup.cassandra());
        StreamExecutionEnvironment env = TestClusters.environment(0);
        JobEnvironment.configure(env, rollup.checkpoints());
        RollupJob.defineWorkflow(
                env,
                rollup,
                ObservationsInput.boundedSource(
                        rollup.kafka(),
                        rollup.schemaRegistry(),
                        observations,
                        group + "-rollup",
                        "rollup"),
                RollupSinks.production(rollup));
        env.execute("rollup-of-derived");
    }
}
