package io.tsflow.benchmarks.flood;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.alerts.AlertsJob;
import io.tsflow.alerts.AlertsSinks;
import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.config.Validatable;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.IngestNormalizeJob;
import io.tsflow.ingest.IngestSinks;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.rollup.RollupJob;
import io.tsflow.rollup.RollupSinks;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.runtime.CheckpointSettings;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.schema.Alert;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.rollup.RollupTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs ingest-normalize, rollup and alerts as their production graphs (real Kafka, registry,
 * Cassandra and Alertmanager; each job on its own in-process MiniCluster at parallelism 2, heap
 * state, checkpoints every second to local files, no restart allowed), floods topic raw with
 * one-off series as {@link FloodSettings} says, and measures what the limits leave standing: see
 * {@link FloodResult}.
 */
public final class CardinalityFlood {

    private static final String METRIC = "building.temperature";
    private static final Duration WAIT = Duration.ofMinutes(10);

    private final FloodSettings settings;
    private final LocalServers servers;
    private final TestKafka kafka;
    private final String run = TestKafka.uniqueName("flood");
    private final String raw = run + "-raw";
    private final String observations = run + "-observations";
    private final String alerts = run + "-alerts";
    private final String rule = run + "-stale";
    private final String keyspace = TestCassandra.uniqueKeyspace("flood");
    private final Map<String, Path> checkpointDirs = new LinkedHashMap<>();
    private final Map<String, AtomicLong> checkpointBytesMax = new ConcurrentHashMap<>();
    private final AtomicLong heapUsedMax = new AtomicLong();
    private final AtomicLong alertmanagerPendingMax = new AtomicLong();
    private final AtomicLong rollupOpenSeriesMax = new AtomicLong();

    public CardinalityFlood(FloodSettings settings, LocalServers servers) {
        this.settings = settings;
        this.servers = servers;
        this.kafka = new TestKafka(servers.kafkaBootstrap());
    }

    /** Runs the flood to the end of its alerts, and stops the jobs. */
    public FloodResult run() throws Exception {
        String connections = servers.connectionYaml(keyspace) + "checkpoints: {interval: 1s}\n";
        IngestConfig ingest = load(connections + ingestYaml(), IngestConfig.class);
        RollupConfig rollup = load(connections + rollupYaml(), RollupConfig.class);
        AlertsConfig watch =
                load(
                        "kafka: {bootstrapServers: '"
                                + servers.kafkaBootstrap()
                                + "'}\nschemaRegistry: {url: '"
                                + servers.registryUrl()
                                + "'}\ncheckpoints: {interval: 1s}\n"
                                + alertsYaml(),
                        AlertsConfig.class);
        kafka.createTopics(
                FloodSettings.PARALLELISM,
                raw,
                observations,
                alerts,
                run + "-raw-dead-letter",
                run + "-aggregations",
                run + "-late",
                run + "-rollup-dead-letter",
                run + "-alerts-dead-letter");
        RawTable.applySchema(ingest.cassandra());
        RollupTable.applySchema(rollup.cassandra());

        Map<String, JobClient> jobs = new LinkedHashMap<>();
        Thread sampler = new Thread(this::sample, "flood-sampler");
        sampler.setDaemon(true);
        try {
            StreamExecutionEnvironment ingestEnv = environment("ingest", ingest.checkpoints());
            IngestNormalizeJob.defineWorkflow(
                    ingestEnv,
                    ingest,
                    IngestNormalizeJob.rawSource(ingest),
                    IngestSinks.production(ingest));
            jobs.put("ingest", ingestEnv.executeAsync(jobName("ingest")));
            long ingestStarted = System.currentTimeMillis();
            StreamExecutionEnvironment rollupEnv = environment("rollup", rollup.checkpoints());
            RollupJob.defineWorkflow(
                    rollupEnv,
                    rollup,
                    RollupJob.DEFINITION.source(rollup),
                    RollupSinks.production(rollup));
            jobs.put("rollup", rollupEnv.executeAsync(jobName("rollup")));
            StreamExecutionEnvironment alertsEnv = environment("alerts", watch.checkpoints());
            AlertsJob.defineWorkflow(
                    alertsEnv,
                    watch,
                    AlertsJob.DEFINITION.source(watch),
                    AlertsSinks.production(watch));
            jobs.put("alerts", alertsEnv.executeAsync(jobName("alerts")));
            for (JobClient job : jobs.values()) {
                await("job running", () -> status(job) == JobStatus.RUNNING);
            }
            sampler.start();

            AtomicLong sent = new AtomicLong();
            long floodEnded;
            long floodRead;
            ScheduledExecutorService roomClock = Executors.newSingleThreadScheduledExecutor();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                long halfWay = System.nanoTime() + settings.floodFor().toNanos() / 2;
                roomClock.scheduleAtFixedRate(
                        () -> reportRooms(producer, sent, System.nanoTime() >= halfWay),
                        0,
                        1,
                        TimeUnit.SECONDS);
                produceFlood(producer, sent);
                floodEnded = System.currentTimeMillis();
                long sentByFloodEnd = sent.get();
                await(
                        "ingest read the flood",
                        () ->
                                running(jobs)
                                        && CapturedMetrics.sum(
                                                        jobName("ingest"), ".tsflow.recordsIn")
                                                >= sentByFloodEnd);
                // The last flood series ingest admitted came before this.
                floodRead = System.currentTimeMillis();
                // The rooms go on reporting while the flood's series fall stale.
                awaitAlertsSettled(floodEnded, jobs);
                roomClock.shutdown();
                if (!roomClock.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the rooms did not stop");
                }
                producer.flush();
            } finally {
                roomClock.shutdownNow();
            }
            await(
                    "ingest read every record",
                    () ->
                            running(jobs)
                                    && CapturedMetrics.sum(jobName("ingest"), ".tsflow.recordsIn")
                                            >= sent.get());

            Map<String, String> states = new LinkedHashMap<>();
            jobs.forEach((name, job) -> states.put(name, status(job).name()));
            System.gc();
            long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Map<String, Long> checkpoints = new LinkedHashMap<>();
            checkpointBytesMax.forEach((job, bytes) -> checkpoints.put(job, bytes.get()));
            return new FloodResult(
                    sent.get(),
                    CapturedMetrics.sum(jobName("ingest"), ".tsflow.recordsIn"),
                    CapturedMetrics.sum(jobName("ingest"), ".tsflow.observationsOut"),
                    CapturedMetrics.sum(
                            jobName("ingest"), ".tsflow.reason.CARDINALITY_LIMIT.rejected"),
                    floodRead - ingestStarted,
                    rollupOpenSeriesMax.get(),
                    CapturedMetrics.sum(
                            jobName("rollup"), ".tsflow.pointsRefusedByCardinalityLimit"),
                    CapturedMetrics.sum(
                            jobName("alerts"), ".tsflow.pointsRefusedByCardinalityLimit"),
                    CapturedMetrics.sum(jobName("alerts"), ".tsflow.alertsFired"),
                    CapturedMetrics.sum(jobName("alerts"), ".tsflow.alertsResolved"),
                    roomAlerts(watch),
                    alertmanagerActive(),
                    alertmanagerPendingMax.get(),
                    checkpoints,
                    heapUsedMax.get(),
                    heapAfterGc,
                    states);
        } finally {
            sampler.interrupt();
            for (JobClient job : jobs.values()) {
                if (!status(job).isTerminalState()) {
                    job.cancel().get(1, TimeUnit.MINUTES);
                }
            }
            try (CqlSession cassandra = TestCassandra.session(servers.cassandraContact())) {
                cassandra.execute("DROP KEYSPACE IF EXISTS " + keyspace);
            }
        }
    }

    private String ingestYaml() {
        return "topics: {raw: "
                + raw
                + ", observations: "
                + observations
                + ", deadLetter: "
                + run
                + "-raw-dead-letter}\n"
                + "consumerGroup: "
                + run
                + "-ingest\ntransactionalIdPrefix: "
                + run
                + "-ingest\n"
                + "ingest: {newSeries: {perMinute: "
                + settings.ingestNewSeriesPerMinute()
                + ", startupGrace: "
                + settings.ingestStartupGrace().toMillis()
                + "ms}}\n";
    }

    private String rollupYaml() {
        return "topics: {observations: "
                + observations
                + ", aggregations: "
                + run
                + "-aggregations, lateObservations: "
                + run
                + "-late, deadLetter: "
                + run
                + "-rollup-dead-letter}\n"
                + "consumerGroup: "
                + run
                + "-rollup\ntransactionalIdPrefix: "
                + run
                + "-rollup\n"
                + "maxSeriesPerSubtask: "
                + settings.rollupMaxSeriesPerSubtask()
                + "\nlevels:\n  - {interval: 1m, allowedLateness: 1m, retention: 1d}\n";
    }

    private String alertsYaml() {
        return "topics: {observations: "
                + observations
                + ", alerts: "
                + alerts
                + ", deadLetter: "
                + run
                + "-alerts-dead-letter}\n"
                + "consumerGroup: "
                + run
                + "-alerts\ntransactionalIdPrefix: "
                + run
                + "-alerts\n"
                + "outOfOrderness: 1s\nidleness: 5s\n"
                + "backlog: {maxLag: 10s, startupGrace: 5s, activeWithin: 5s,"
                + " recheckEvery: 500ms}\n"
                + "alertmanager: {urls: ['"
                + servers.alertmanagerUrl()
                + "'], resendEvery: 30s}\n"
                + "maxSeriesPerRule: "
                + settings.alertsMaxSeriesPerRule()
                + "\nrules:\n  - {name: "
                + rule
                + ", kind: stale, metric: 'building\\.temperature', staleAfter: "
                + settings.staleAfter().toMillis()
                + "ms}\n";
    }

    private static <T extends Validatable> T load(String yaml, Class<T> type) {
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), type, "flood");
    }

    private String jobName(String job) {
        return run + "-" + job;
    }

    private StreamExecutionEnvironment environment(String job, CheckpointSettings checkpoints)
            throws IOException {
        Path dir = Files.createTempDirectory("tsflow-flood-" + job);
        checkpointDirs.put(job, dir);
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        flink.setString(
                "metrics.reporter.flood.factory.class", CapturedMetrics.Factory.class.getName());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(FloodSettings.PARALLELISM, flink);
        JobEnvironment.configure(env, checkpoints);
        return env;
    }

    /** Produces the flood evenly over its duration, a reading per flood series. */
    private void produceFlood(KafkaProducer<byte[], byte[]> producer, AtomicLong sent)
            throws InterruptedException {
        long floodSent = 0;
        long start = System.nanoTime();
        long duration = settings.floodFor().toNanos();
        while (floodSent < settings.floodSeries()) {
            long elapsed = System.nanoTime() - start;
            long due =
                    elapsed >= duration
                            ? settings.floodSeries()
                            : settings.floodSeries() * elapsed / duration;
            long now = System.currentTimeMillis();
            for (; floodSent < due; floodSent++) {
                String tags = "\"gateway\":\"flood\",\"id\":\"" + floodSent + "\"";
                producer.send(record(tags, now, floodSent % 100));
                sent.incrementAndGet();
            }
            Thread.sleep(10);
        }
    }

    /** A reading from every room; room r0 has fallen silent once {@code r0Silent}. */
    private void reportRooms(
            KafkaProducer<byte[], byte[]> producer, AtomicLong sent, boolean r0Silent) {
        long now = System.currentTimeMillis();
        for (int room = r0Silent ? 1 : 0; room < settings.rooms(); room++) {
            String tags = "\"gateway\":\"steady\",\"room\":\"r" + room + "\"";
            producer.send(record(tags, now, 20 + room));
            sent.incrementAndGet();
        }
    }

    private ProducerRecord<byte[], byte[]> record(String tags, long millis, double value) {
        byte[] json =
                ("{\"metric\":\""
                                + METRIC
                                + "\",\"tagset\":{"
                                + tags
                                + "},\"type\":\"tdouble\",\"values\":[["
                                + millis
                                + ","
                                + value
                                + "]]}")
                        .getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(raw, tags.getBytes(StandardCharsets.UTF_8), json);
    }

    /**
     * Waits until the flood's series have had time to fall stale and the number of FIRING changes
     * has not moved for twice {@code staleAfter} (at least 10 s).
     */
    private void awaitAlertsSettled(long floodEnded, Map<String, JobClient> jobs) throws Exception {
        long quiet = Math.max(10_000, 2 * settings.staleAfter().toMillis());
        long[] last = {-1, System.currentTimeMillis()};
        await(
                "alerts settled",
                () -> {
                    long now = System.currentTimeMillis();
                    long fired = CapturedMetrics.sum(jobName("alerts"), ".tsflow.alertsFired");
                    if (fired != last[0]) {
                        last[0] = fired;
                        last[1] = now;
                    }
                    return running(jobs)
                            && now >= floodEnded + settings.staleAfter().toMillis()
                            && now - last[1] >= quiet;
                });
    }

    /** Every half second: heap, checkpoint sizes and the jobs' gauges, keeping their maxima. */
    private void sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        while (!Thread.currentThread().isInterrupted()) {
            heapUsedMax.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            alertmanagerPendingMax.accumulateAndGet(
                    CapturedMetrics.sum(jobName("alerts"), ".tsflow.alertmanagerAlertsPending"),
                    Math::max);
            rollupOpenSeriesMax.accumulateAndGet(
                    CapturedMetrics.sum(jobName("rollup"), ".tsflow.openSeries"), Math::max);
            checkpointDirs.forEach(
                    (job, dir) ->
                            latestCheckpointBytes(dir)
                                    .ifPresent(
                                            bytes ->
                                                    checkpointBytesMax
                                                            .computeIfAbsent(
                                                                    job, j -> new AtomicLong())
                                                            .accumulateAndGet(bytes, Math::max)));
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The bytes of the newest completed checkpoint under {@code dir} (full snapshots on heap). */
    private static Optional<Long> latestCheckpointBytes(Path dir) {
        try (Stream<Path> metadata = Files.walk(dir)) {
            Optional<Path> newest =
                    metadata.filter(p -> p.getFileName().toString().equals("_metadata"))
                            .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            try (Stream<Path> files = Files.walk(newest.get().getParent())) {
                return Optional.of(
                        files.filter(Files::isRegularFile)
                                .mapToLong(p -> p.toFile().length())
                                .sum());
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty(); // a checkpoint being written or subsumed meanwhile
        }
    }

    /** The committed alert changes of the steady rooms, by series key. */
    private Map<String, List<String>> roomAlerts(AlertsConfig watch) throws Exception {
        ConfluentAvroDecoder<Alert> decoder =
                new ConfluentAvroDecoder<>(
                        new SchemaRegistryClient(watch.schemaRegistry()), Alert.getClassSchema());
        Map<String, List<String>> changes = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(alerts, Duration.ofSeconds(60))) {
            Alert alert = decoder.decode(record.value());
            if (alert.getSeriesKey().contains("gateway=\"steady\"")) {
                changes.computeIfAbsent(alert.getSeriesKey(), k -> new ArrayList<>())
                        .add(alert.getStatus().name());
            }
        }
        return changes;
    }

    /** The alerts of the stale rule active in Alertmanager. */
    private long alertmanagerActive() throws Exception {
        String filter = URLEncoder.encode("rule=\"" + rule + "\"", StandardCharsets.UTF_8);
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        servers.alertmanagerUrl()
                                                                + "/api/v2/alerts?active=true"
                                                                + "&filter="
                                                                + filter))
                                        .timeout(Duration.ofSeconds(60))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body()).size();
    }

    /** True while every job runs; a job that ended is a finding, so it stops the wait. */
    private static boolean running(Map<String, JobClient> jobs) {
        jobs.forEach(
                (name, job) -> {
                    if (status(job).isGloballyTerminalState()) {
                        throw new IllegalStateException("job " + name + " ended: " + status(job));
                    }
                });
        return true;
    }

    private static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no status for job " + job.getJobID(), e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting: " + what);
            }
            Thread.sleep(200);
        }
    }
}
