package io.tsflow.endtoend;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.derived.DerivedSeriesJob;
import io.tsflow.derived.DerivedSeriesSinks;
import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.ingest.IngestNormalizeJob;
import io.tsflow.ingest.IngestSinks;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.rollup.RollupJob;
import io.tsflow.rollup.RollupSinks;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.runtime.DecodedObservation;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.JobSinks;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.storage.raw.RawTable;
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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fresh topics and keyspace for ingest-normalize, rollup and derived-series chained through the
 * real Kafka, registry and Cassandra, configured as a user would: topic raw with two partitions,
 * rollup levels 1m, 1h and 1d with the building's days in Brussels, and derived series per room and
 * per gateway (written to a topic of their own here, so that the rollups cover measured series
 * only).
 */
final class JobChain implements AutoCloseable {

    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(90);

    final LocalServers servers = LocalServers.get();
    final TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
    final String raw = TestKafka.uniqueName("raw");
    final String observations = TestKafka.uniqueName("observations");
    final String ingestDeadLetter = TestKafka.uniqueName("raw-dead-letter");
    final String aggregations = TestKafka.uniqueName("aggregations");
    final String late = TestKafka.uniqueName("late-observations");
    final String rollupDeadLetter = TestKafka.uniqueName("observations-dead-letter");
    final String derived = TestKafka.uniqueName("derived");
    final String derivedDeadLetter = TestKafka.uniqueName("derived-dead-letter");
    final String keyspace = TestCassandra.uniqueKeyspace("backlog");
    final String group = TestKafka.uniqueName("backlog");
    final IngestConfig ingest;
    final RollupConfig rollup;
    final DerivedSeriesConfig derivedSeries;
    final CqlSession cassandra = TestCassandra.session(servers.cassandraContact());
    final SchemaRegistryClient registry;

    JobChain() throws Exception {
        this("");
    }

    /** With {@code rollupSettings} (top-level YAML keys) added to the rollup's configuration. */
    JobChain(String rollupSettings) throws Exception {
        kafka.createTopics(
                2,
                raw,
                observations,
                ingestDeadLetter,
                aggregations,
                late,
                rollupDeadLetter,
                derived,
                derivedDeadLetter);
        String connections = servers.connectionYaml(keyspace) + "checkpoints: {interval: 300ms}\n";
        ingest =
                load(
                        connections
                                + "topics: {raw: "
                                + raw
                                + ", observations: "
                                + observations
                                + ", deadLetter: "
                                + ingestDeadLetter
                                + "}\n"
                                + "consumerGroup: "
                                + group
                                + "-ingest\ntransactionalIdPrefix: "
                                + group
                                + "-ingest\n",
                        IngestConfig.class);
        rollup =
                load(
                        connections
                                + "topics: {observations: "
                                + observations
                                + ", aggregations: "
                                + aggregations
                                + ", lateObservations: "
                                + late
                                + ", deadLetter: "
                                + rollupDeadLetter
                                + "}\n"
                                + "consumerGroup: "
                                + group
                                + "-rollup\ntransactionalIdPrefix: "
                                + group
                                + "-rollup\n"
                                + "outOfOrderness: "
                                + OUT_OF_ORDERNESS.toSeconds()
                                + "s\n"
                                + """
levels:
  - {interval: 1m, allowedLateness: 5m, retention: 90d}
  - {interval: 1h, allowedLateness: 10m, retention: 730d}
  - {interval: 1d, allowedLateness: 10m, retention: 0s}
rules:
  - {name: energy, metric: 'building\\.energy', counter: true, zone: Europe/Brussels}
  - {name: building, metric: 'building\\..*', zone: Europe/Brussels}
"""
                                + rollupSettings,
                        RollupConfig.class);
        derivedSeries =
                load(
                        connections
                                + "storage: {enabled: false}\n"
                                + "topics: {observations: "
                                + observations
                                + ", deadLetter: "
                                + derivedDeadLetter
                                + "}\n"
                                + "consumerGroup: "
                                + group
                                + "-derived\ntransactionalIdPrefix: "
                                + group
                                + "-derived\n"
                                + "outOfOrderness: "
                                + OUT_OF_ORDERNESS.toSeconds()
                                + "s\n"
                                + """
                                  rules:
                                    - name: room-fahrenheit
                                      metric: building.temperature_f
                                      by: [gateway, room]
                                      inputs: {t: {metric: 'building\\.temperature'}}
                                      expression: 't * 9 / 5 + 32'
                                      step: 20s
                                      lookback: 20s
                                    - name: gateway-average
                                      metric: building.temperature_avg
                                      by: [gateway]
                                      inputs: {t: {metric: 'building\\.temperature'}}
                                      expression: 'avg(t)'
                                      step: 1m
                                      lookback: 1m
                                  """,
                        DerivedSeriesConfig.class);
        RawTable.applySchema(ingest.cassandra());
        RollupTable.applySchema(rollup.cassandra());
        registry = new SchemaRegistryClient(rollup.schemaRegistry());
    }

    private static <T extends io.tsflow.common.config.Validatable> T load(
            String yaml, Class<T> type) throws Exception {
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), type, "backlog");
    }

    /** Produces the uploads to raw, in order, each keyed by its series. */
    void upload(List<GatewayBacklog.Upload> uploads) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (GatewayBacklog.Upload upload : uploads) {
            records.add(
                    new ProducerRecord<>(
                            raw,
                            upload.series().kafkaKey().getBytes(StandardCharsets.UTF_8),
                            upload.json()));
        }
        kafka.sendAll(records);
    }

    /** Produces {@code values} to raw, unkeyed, with the record timestamp {@code millis}. */
    void uploadStampedAt(long millis, List<byte[]> values) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(new ProducerRecord<>(raw, i % 2, millis, null, values.get(i)));
        }
        kafka.sendAll(records);
    }

    /** Runs ingest-normalize over everything in raw, to its end. */
    void runIngest() throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(0);
        JobEnvironment.configure(env, ingest.checkpoints());
        IngestNormalizeJob.defineWorkflow(
                env,
                ingest,
                IngestNormalizeJob.boundedRawSource(ingest),
                IngestSinks.production(ingest));
        env.execute("backlog-ingest");
    }

    /**
     * Starts ingest-normalize on topic raw, unbounded, as in production, restarting up to {@code
     * restarts} times.
     */
    JobClient startIngest(int restarts) throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(restarts);
        JobEnvironment.configure(env, ingest.checkpoints());
        IngestNormalizeJob.defineWorkflow(
                env, ingest, IngestNormalizeJob.rawSource(ingest), IngestSinks.production(ingest));
        return env.executeAsync("live-ingest");
    }

    /**
     * Starts rollup on topic observations, unbounded, as in production, restarting up to {@code
     * restarts} times.
     */
    JobClient startRollup(int restarts) throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(restarts);
        JobEnvironment.configure(env, rollup.checkpoints());
        RollupJob.defineWorkflow(
                env, rollup, RollupJob.DEFINITION.source(rollup), RollupSinks.production(rollup));
        return env.executeAsync("live-rollup");
    }

    /**
     * Starts rollup on observations (unbounded, as in production), at {@code parallelism}, from
     * {@code savepoint} if not null, its source paced to {@code recordsPerCheckpoint} records per
     * reader between checkpoints so that a savepoint can be taken mid-stream.
     */
    JobClient startRollup(int parallelism, String savepoint, int recordsPerCheckpoint)
            throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(0);
        env.setParallelism(parallelism);
        restoreFrom(env, savepoint);
        JobEnvironment.configure(env, rollup.checkpoints());
        RollupJob.defineWorkflow(
                env,
                rollup,
                new CheckpointPacedSource<>(
                        RollupJob.DEFINITION.source(rollup), recordsPerCheckpoint),
                RollupSinks.production(rollup));
        return env.executeAsync("rescaled-rollup");
    }

    /** Rows in the raw table. */
    long rawRows() {
        return cassandra
                .execute("SELECT count(*) FROM " + keyspace + ".observations_raw")
                .one()
                .getLong(0);
    }

    /** Runs rollup over everything in observations, to its end, with {@code storage}. */
    void runRollup(int restarts, SinkApplier<Aggregation> storage) throws Exception {
        runRollup(restarts, storage, observationsSource());
    }

    /**
     * Runs rollup with each source reader emitting at most {@code recordsPerCheckpoint} records
     * between completed checkpoints, so that checkpoints cut the backlog on any machine.
     */
    void runRollupPaced(int restarts, SinkApplier<Aggregation> storage, int recordsPerCheckpoint)
            throws Exception {
        runRollup(
                restarts,
                storage,
                new CheckpointPacedSource<>(observationsSource(), recordsPerCheckpoint));
    }

    private Source<DecodedObservation, ?, ?> observationsSource() {
        return ObservationsInput.boundedSource(
                rollup.kafka(),
                rollup.schemaRegistry(),
                observations,
                rollup.consumerGroup(),
                "rollup");
    }

    private void runRollup(
            int restarts, SinkApplier<Aggregation> storage, Source<DecodedObservation, ?, ?> source)
            throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(restarts);
        JobEnvironment.configure(env, rollup.checkpoints());
        RollupJob.defineWorkflow(
                env, rollup, source, RollupSinks.production(rollup).withStorage(storage));
        env.execute("backlog-rollup");
    }

    /** Runs derived-series over everything in observations, to its end. */
    void runDerivedSeries() throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(0);
        defineDerivedSeries(env, derivedObservationsSource());
        env.execute("backlog-derived-series");
    }

    /**
     * Starts derived-series over everything now in observations (bounded), at {@code parallelism},
     * from {@code savepoint} if not null, paced as {@link #startRollup(int, String, int)}.
     */
    JobClient startDerivedSeries(int parallelism, String savepoint, int recordsPerCheckpoint)
            throws Exception {
        StreamExecutionEnvironment env = TestClusters.environment(0);
        env.setParallelism(parallelism);
        restoreFrom(env, savepoint);
        defineDerivedSeries(
                env,
                new CheckpointPacedSource<>(
                        DerivedSeriesJob.DEFINITION.source(derivedSeries), recordsPerCheckpoint));
        return env.executeAsync("rescaled-derived-series");
    }

    private static void restoreFrom(StreamExecutionEnvironment env, String savepoint) {
        if (savepoint != null) {
            org.apache.flink.configuration.Configuration restore =
                    new org.apache.flink.configuration.Configuration();
            restore.set(
                    org.apache.flink.runtime.jobgraph.SavepointConfigOptions.SAVEPOINT_PATH,
                    savepoint);
            env.configure(restore);
        }
    }

    private Source<DecodedObservation, ?, ?> derivedObservationsSource() {
        return ObservationsInput.boundedSource(
                derivedSeries.kafka(),
                derivedSeries.schemaRegistry(),
                observations,
                derivedSeries.consumerGroup(),
                "derived-series");
    }

    private void defineDerivedSeries(
            StreamExecutionEnvironment env, Source<DecodedObservation, ?, ?> source) {
        JobEnvironment.configure(env, derivedSeries.checkpoints());
        DerivedSeriesJob.defineWorkflow(
                env,
                derivedSeries,
                source,
                new DerivedSeriesSinks(
                        JobSinks.observations(derivedSeries, derived, "-derived"),
                        SinkApplier.none(),
                        JobSinks.rejected(
                                derivedSeries,
                                derivedSeries.topics().deadLetter(),
                                "-dead-letter")));
    }

    /** The last value written for each derived point: series (metric and sorted tags) and time. */
    Map<String, Double> derivedPoints() throws Exception {
        ConfluentAvroDecoder<Observation> decoder =
                new ConfluentAvroDecoder<>(registry, Observation.getClassSchema());
        Map<String, Double> points = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(derived, Duration.ofSeconds(60))) {
            Observation point = decoder.decode(record.value());
            points.put(
                    ExpectedRollups.seriesId(point.getMetric(), point.getTagset())
                            + "@"
                            + point.getTimestampMicros() / 1000,
                    ((Number) point.getValue()).doubleValue());
        }
        return points;
    }

    /** The latest revision of every bucket on topic aggregations. */
    Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> publishedBuckets() throws Exception {
        ConfluentAvroDecoder<Aggregation> decoder =
                new ConfluentAvroDecoder<>(registry, Aggregation.getClassSchema());
        Map<ExpectedRollups.BucketKey, Aggregation> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(aggregations, Duration.ofSeconds(60))) {
            Aggregation bucket = decoder.decode(record.value());
            latest.merge(
                    new ExpectedRollups.BucketKey(
                            ExpectedRollups.seriesId(bucket.getMetric(), bucket.getTagset()),
                            bucket.getInterval(),
                            bucket.getBucketStartMicros()),
                    bucket,
                    (a, b) -> b.getRevision() > a.getRevision() ? b : a);
        }
        Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> stats = new HashMap<>();
        latest.forEach(
                (key, bucket) ->
                        stats.put(
                                key,
                                new ExpectedRollups.Stats(
                                        bucket.getCount(),
                                        bucket.getNumeric().getSum(),
                                        bucket.getNumeric().getMin(),
                                        bucket.getNumeric().getMax(),
                                        bucket.getFirstTimestampMicros(),
                                        bucket.getLastTimestampMicros(),
                                        bucket.getNumeric().getCounterIncrease())));
        return stats;
    }

    /** Every row of the rollup table. */
    Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> storedBuckets() {
        Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> stats = new HashMap<>();
        for (Row row :
                cassandra.execute(
                        "SELECT metric, tagset, interval, bucket_start_micros, count, sum, min,"
                                + " max, first_ts_micros, last_ts_micros, counter_increase FROM "
                                + keyspace
                                + ".rollups")) {
            Map<String, String> tags = row.getMap("tagset", String.class, String.class);
            stats.put(
                    new ExpectedRollups.BucketKey(
                            ExpectedRollups.seriesId(row.getString("metric"), tags),
                            row.getString("interval"),
                            row.getLong("bucket_start_micros")),
                    new ExpectedRollups.Stats(
                            row.getLong("count"),
                            row.getDouble("sum"),
                            row.getDouble("min"),
                            row.getDouble("max"),
                            row.getLong("first_ts_micros"),
                            row.getLong("last_ts_micros"),
                            row.isNull("counter_increase")
                                    ? null
                                    : row.getDouble("counter_increase")));
        }
        return stats;
    }

    long count(String topic) {
        return kafka.countAll(topic);
    }

    /** The reasons of the dead letters on {@code topic}. */
    List<String> deadLetterReasons(String topic) throws Exception {
        ConfluentAvroDecoder<io.tsflow.schema.Rejected> decoder =
                new ConfluentAvroDecoder<>(registry, io.tsflow.schema.Rejected.getClassSchema());
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(topic, Duration.ofSeconds(60))) {
            reasons.add(decoder.decode(record.value()).getReason());
        }
        return reasons;
    }

    @Override
    public void close() {
        cassandra.execute("DROP KEYSPACE IF EXISTS " + keyspace);
        cassandra.close();
    }
}
