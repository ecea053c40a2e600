package io.tsflow.local;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tsflow.alerts.AlertsJob;
import io.tsflow.alerts.AlertsSinks;
import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.config.DurationParser;
import io.tsflow.connectors.cassandra.CqlSessions;
import io.tsflow.connectors.kafka.KafkaClientProperties;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.derived.DerivedSeriesJob;
import io.tsflow.derived.DerivedSeriesSinks;
import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.ingest.IngestNormalizeJob;
import io.tsflow.ingest.IngestSinks;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.query.QueryConfig;
import io.tsflow.rollup.RollupJob;
import io.tsflow.rollup.RollupSinks;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.runtime.CheckpointSettings;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.rollup.RollupTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Command one of the README (docs/local-servers.md): runs the suite on an embedded Flink
 * MiniCluster against the real local servers, feeds it from the sensor simulator, prints progress,
 * and ends with a summary that checks nothing was lost.
 *
 * <p>Arguments: {@code --config FILE} {@code --duration 30s} {@code --rate 5000} (records per
 * second).
 */
public final class LocalSuite {

    private LocalSuite() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            // The MiniClusters' threads would keep the JVM alive after a failure.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options =
                new java.util.HashMap<>(Map.of("--duration", "30s", "--rate", "5000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        IngestConfig config =
                ConfigLoader.load(Path.of(options.get("--config")), IngestConfig.class);
        RollupConfig rollup =
                ConfigLoader.load(Path.of(options.get("--rollup-config")), RollupConfig.class);
        AlertsConfig alerts =
                ConfigLoader.load(Path.of(options.get("--alerts-config")), AlertsConfig.class);
        DerivedSeriesConfig derived =
                ConfigLoader.load(
                        Path.of(options.get("--derived-config")), DerivedSeriesConfig.class);
        QueryConfig queryConfig =
                ConfigLoader.load(Path.of(options.get("--query-config")), QueryConfig.class);
        Duration duration = DurationParser.parse(options.get("--duration"));
        int rate = Integer.parseInt(options.get("--rate"));

        say(
                "tsflow local suite: Kafka %s, registry %s, Cassandra %s",
                config.kafka().bootstrapServers(),
                config.schemaRegistry().url(),
                config.cassandra().contactPoints());
        RawTable.applySchema(config.cassandra());
        RollupTable.applySchema(rollup.cassandra());
        createTopics(
                config,
                List.of(
                        rollup.topics().aggregations(),
                        rollup.topics().lateObservations(),
                        rollup.topics().deadLetter(),
                        alerts.topics().alerts()));
        say("topics and Cassandra schema ready (keyspace %s)", config.cassandra().keyspace());

        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        ObservationOrigins origins = new ObservationOrigins(registry);
        TopicCounter observations =
                new TopicCounter(
                                config.kafka().bootstrapServers(),
                                config.topics().observations(),
                                origins)
                        .startAtEnd();
        RejectReasons reasons = new RejectReasons(registry);
        TopicCounter deadLetters =
                new TopicCounter(
                                config.kafka().bootstrapServers(),
                                config.topics().deadLetter(),
                                reasons)
                        .startAtEnd();
        AlertLog alertLog = new AlertLog(registry);
        TopicCounter alertChanges =
                new TopicCounter(
                                config.kafka().bootstrapServers(),
                                alerts.topics().alerts(),
                                alertLog)
                        .startAtEnd();
        startDaemon("count-alerts", alertChanges);
        startDaemon("count-observations", observations);
        startDaemon("count-dead-letters", deadLetters);
        TopicCounter aggregations =
                new TopicCounter(
                                config.kafka().bootstrapServers(),
                                rollup.topics().aggregations(),
                                null)
                        .startAtEnd();
        startDaemon("count-aggregations", aggregations);

        JobClient job = startJob(config);
        JobClient rollupJob = startRollup(rollup);
        JobClient alertsJob = startAlerts(alerts);
        JobClient derivedJob = startDerived(derived);
        say(
                "job %s submitted to the MiniCluster (parallelism 2); waiting for it to run",
                IngestNormalizeJob.NAME);
        waitUntilRunning(job);
        waitUntilRunning(rollupJob);
        waitUntilRunning(alertsJob);
        waitUntilRunning(derivedJob);
        QueryCheck query = new QueryCheck(queryConfig);
        say("query service (Graphite API and page): %s", query.url());

        SensorSimulator simulator = new SensorSimulator(config.topics().raw(), 200, registry);
        AlertScenario scenario = new AlertScenario();
        boolean playScenario = duration.toSeconds() >= AlertScenario.MIN_DURATION_SECONDS;
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
            long sent = 0;
            long nextReport = started + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() - started < duration.toNanos()) {
                if (playScenario) {
                    scenario.advance((System.nanoTime() - started) / 1e9, simulator);
                }
                long due = (System.nanoTime() - started) * rate / 1_000_000_000L;
                while (sent < due) {
                    producer.send(simulator.next(System.currentTimeMillis()));
                    sent++;
                }
                if (System.nanoTime() >= nextReport) {
                    say(
                            "%5.1fs  sent %,d records (%,d points)  |  observations committed %,d "
                                    + " |  dead letters %,d",
                            (System.nanoTime() - started) / 1e9,
                            simulator.records,
                            simulator.goodPoints,
                            origins.measured.get(),
                            deadLetters.records.get());
                    nextReport += TimeUnit.SECONDS.toNanos(2);
                }
                Thread.sleep(5);
            }
            producer.flush();
        }
        say("simulator done; waiting for the last checkpoint to commit everything");
        say("aggregates committed so far: %,d", aggregations.records.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((origins.measured.get() < simulator.goodPoints
                        || deadLetters.records.get() < simulator.badRecords
                        || (playScenario
                                && !alertLog.changes().containsAll(scenario.expectedChanges())))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long rows = rows(config, "observations_raw");
        long rollupRows = rows(config, "rollups");
        job.cancel().get(30, TimeUnit.SECONDS);
        rollupJob.cancel().get(30, TimeUnit.SECONDS);
        alertsJob.cancel().get(30, TimeUnit.SECONDS);
        derivedJob.cancel().get(30, TimeUnit.SECONDS);
        alertChanges.stop();
        aggregations.stop();
        observations.stop();
        deadLetters.stop();

        boolean complete =
                origins.measured.get() == simulator.goodPoints
                        && deadLetters.records.get() == simulator.badRecords;
        System.out.println();
        System.out.println(
                "=============================== tsflow local run ===============================");
        System.out.printf(
                "  records sent to %-22s %,12d  (%,d deliberately bad)%n",
                config.topics().raw(), simulator.records, simulator.badRecords);
        System.out.printf(
                "  good points sent                         %,12d%n", simulator.goodPoints);
        System.out.printf(
                "  observations written to %-16s %,12d%n",
                config.topics().observations(), origins.measured.get());
        System.out.printf(
                "  dead letters in %-24s %,12d%n",
                config.topics().deadLetter(), deadLetters.records.get());
        reasons.counts()
                .forEach(
                        (reason, count) -> System.out.printf("      %-36s %,12d%n", reason, count));
        System.out.printf(
                "  rows in Cassandra %s.observations_raw    %12s  (all runs; a repeated series and"
                        + " timestamp is one row)%n",
                config.cassandra().keyspace(), rows < 0 ? "n/a" : String.format("%,d", rows));
        System.out.printf(
                "  aggregates written to %-19s %,12d  (revisions included; open buckets not yet)%n",
                rollup.topics().aggregations(), aggregations.records.get());
        System.out.printf(
                "  rows in Cassandra %s.rollups             %12s  (all runs)%n",
                config.cassandra().keyspace(),
                rollupRows < 0 ? "n/a" : String.format("%,d", rollupRows));
        // The local configuration's finest level is 10 s: a 25 s run closes some of its buckets.
        boolean rollupsWritten = aggregations.records.get() > 0 && rollupRows > 0;
        System.out.println(
                "  "
                        + (rollupsWritten
                                ? "OK: closed buckets reached the aggregations topic and Cassandra"
                                : "MISSING: no closed bucket reached the aggregations topic and"
                                        + " Cassandra"));
        boolean derivedAsExpected = printDerived(derived, origins);
        boolean alertsAsExpected = printAlerts(alerts, alertLog, scenario, playScenario);
        boolean readBack = query.readBack();
        query.close();
        System.out.printf("  elapsed                                  %12.1f s%n", seconds);
        System.out.println(
                "  "
                        + (complete
                                ? "OK: every point is an observation or a dead letter; nothing"
                                        + " lost, nothing doubled"
                                : "MISMATCH: expected "
                                        + simulator.goodPoints
                                        + " observations and "
                                        + simulator.badRecords
                                        + " dead letters"));
        System.out.println(
                "=================================================================================");
        System.exit(
                complete && rollupsWritten && alertsAsExpected && derivedAsExpected && readBack
                        ? 0
                        : 1);
    }

    /**
     * Checkpoints go to files under .tsflow/, as on a cluster: rollup state outgrows the in-memory
     * default.
     */
    private static StreamExecutionEnvironment localCluster(
            String job, CheckpointSettings checkpoints) {
        Configuration flink = new Configuration();
        flink.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of(".tsflow", "checkpoints", job).toAbsolutePath().toUri().toString());
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        JobEnvironment.configure(env, checkpoints);
        return env;
    }

    private static JobClient startJob(IngestConfig config) throws Exception {
        StreamExecutionEnvironment env = localCluster("ingest-normalize", config.checkpoints());
        IngestNormalizeJob.defineWorkflow(
                env, config, IngestNormalizeJob.rawSource(config), IngestSinks.production(config));
        return env.executeAsync(IngestNormalizeJob.NAME);
    }

    private static void waitUntilRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (job.getJobStatus().get().isTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the job did not start: " + job.getJobStatus().get());
            }
            Thread.sleep(100);
        }
    }

    private static void createTopics(IngestConfig config, List<String> more) throws Exception {
        List<String> topics = new java.util.ArrayList<>(more);
        topics.addAll(
                List.of(
                        config.topics().raw(),
                        config.topics().observations(),
                        config.topics().deadLetter()));
        try (Admin admin = Admin.create(KafkaClientProperties.build(config.kafka()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(IngestConfig config) {
        Properties properties = KafkaClientProperties.build(config.kafka());
        properties.put("key.serializer", ByteArraySerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        properties.put("linger.ms", "10");
        return new KafkaProducer<>(properties);
    }

    private static long rows(IngestConfig config, String table) {
        try (CqlSession session =
                CqlSessions.open(config.cassandra(), LocalSuite.class.getClassLoader())) {
            return session.execute(
                            com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                                            "SELECT count(*) FROM "
                                                    + config.cassandra().keyspace()
                                                    + "."
                                                    + table)
                                    .setTimeout(Duration.ofSeconds(60)))
                    .one()
                    .getLong(0);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static JobClient startRollup(RollupConfig config) throws Exception {
        StreamExecutionEnvironment env = localCluster("rollup", config.checkpoints());
        RollupJob.defineWorkflow(
                env, config, RollupJob.DEFINITION.source(config), RollupSinks.production(config));
        return env.executeAsync(RollupJob.NAME);
    }

    private static JobClient startAlerts(AlertsConfig config) throws Exception {
        StreamExecutionEnvironment env = localCluster("alerts", config.checkpoints());
        AlertsJob.defineWorkflow(
                env, config, AlertsJob.DEFINITION.source(config), AlertsSinks.production(config));
        return env.executeAsync(AlertsJob.NAME);
    }

    private static JobClient startDerived(DerivedSeriesConfig config) throws Exception {
        StreamExecutionEnvironment env = localCluster("derived-series", config.checkpoints());
        DerivedSeriesJob.defineWorkflow(
                env,
                config,
                DerivedSeriesJob.DEFINITION.source(config),
                DerivedSeriesSinks.production(config));
        return env.executeAsync(DerivedSeriesJob.NAME);
    }

    /** The derived-series section of the summary; true if every rule wrote points. */
    private static boolean printDerived(DerivedSeriesConfig config, ObservationOrigins origins) {
        Map<String, Long> byRule = origins.derivedByRule();
        System.out.printf(
                "  derived points written back to %-10s %,12d%n",
                config.topics().observations(),
                byRule.values().stream().mapToLong(Long::longValue).sum());
        List<String> silent = new java.util.ArrayList<>();
        for (DerivedRule rule : config.rules()) {
            long count = byRule.getOrDefault(rule.name(), 0L);
            System.out.printf("      %-36s %,12d  %s%n", rule.name(), count, rule.metric());
            if (count == 0) {
                silent.add(rule.name());
            }
        }
        System.out.println(
                silent.isEmpty()
                        ? "  OK: every derived-series rule wrote points"
                        : "  MISSING derived series from: " + silent);
        return silent.isEmpty();
    }

    /**
     * The alerts section of the summary; true if the scenario's alerts all came (or none was
     * played).
     */
    private static boolean printAlerts(
            AlertsConfig config, AlertLog log, AlertScenario scenario, boolean played) {
        List<String> changes = log.changes();
        System.out.printf(
                "  alert changes written to %-16s %,12d  (stale, stuck and too-hot rooms)%n",
                config.topics().alerts(), changes.size());
        changes.forEach(change -> System.out.printf("      %s%n", change));
        if (config.alertmanager().enabled()) {
            System.out.printf(
                    "  active in Alertmanager (these rules)       %12s  (%s)%n",
                    AlertmanagerProbe.activeCount(
                            config.alertmanager().urls().get(0),
                            config.rules().stream()
                                    .map(io.tsflow.alerts.rules.AlertRule::name)
                                    .collect(java.util.stream.Collectors.toSet())),
                    config.alertmanager().urls().get(0));
        }
        if (!played) {
            System.out.printf(
                    "  (the sensor-fault scenario needs --duration of at least %ds)%n",
                    AlertScenario.MIN_DURATION_SECONDS);
            return true;
        }
        List<String> missing =
                scenario.expectedChanges().stream().filter(c -> !changes.contains(c)).toList();
        System.out.println(
                missing.isEmpty()
                        ? "  OK: every simulated sensor fault fired and, where healed, resolved"
                        : "  MISSING alert changes: " + missing);
        return missing.isEmpty();
    }

    private static void startDaemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void say(String format, Object... args) {
        System.out.printf("[tsflow] " + format + "%n", args);
    }
}
