package io.tsflow.local;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.config.DurationParser;
import io.tsflow.connectors.cassandra.CqlSessions;
import io.tsflow.connectors.job.JobEnvironment;
import io.tsflow.connectors.kafka.KafkaClientProperties;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.IngestNormalizeJob;
import io.tsflow.ingest.config.IngestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Command one of the README: runs the suite on an embedded Flink MiniCluster against the real local
 * servers, feeds it from the sensor simulator, prints progress, and ends with a summary that checks
 * nothing was lost.
 *
 * <p>Arguments: {@code --config FILE} {@code --duration 30s} {@code --rate 5000} (records per
 * second).
 */
public final class LocalSuite {

    private LocalSuite() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options =
                new java.util.HashMap<>(Map.of("--duration", "30s", "--rate", "5000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        IngestConfig config =
                ConfigLoader.load(Path.of(options.get("--config")), IngestConfig.class);
        Duration duration = DurationParser.parse(options.get("--duration"));
        int rate = Integer.parseInt(options.get("--rate"));

        say(
                "tsflow local suite: Kafka %s, registry %s, Cassandra %s",
                config.kafka().bootstrapServers(),
                config.schemaRegistry().url(),
                config.cassandra().contactPoints());
        createTopics(config);
        IngestNormalizeJob.applySchema(config.cassandra());
        say("topics and Cassandra schema ready (keyspace %s)", config.cassandra().keyspace());

        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        TopicCounter observations =
                new TopicCounter(
                                config.kafka().bootstrapServers(),
                                config.topics().observations(),
                                null)
                        .startAtEnd();
        TopicCounter deadLetters =
                new TopicCounter(
                                config.kafka().bootstrapServers(),
                                config.topics().deadLetter(),
                                registry)
                        .startAtEnd();
        startDaemon("count-observations", observations);
        startDaemon("count-dead-letters", deadLetters);

        JobClient job = startJob(config);
        say(
                "job %s submitted to the MiniCluster (parallelism 2); waiting for it to run",
                IngestNormalizeJob.NAME);
        waitUntilRunning(job);

        SensorSimulator simulator = new SensorSimulator(config.topics().raw(), 200, registry);
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
            long sent = 0;
            long nextReport = started + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() - started < duration.toNanos()) {
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
                            observations.records.get(),
                            deadLetters.records.get());
                    nextReport += TimeUnit.SECONDS.toNanos(2);
                }
                Thread.sleep(5);
            }
            producer.flush();
        }
        say("simulator done; waiting for the last checkpoint to commit everything");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((observations.records.get() < simulator.goodPoints
                        || deadLetters.records.get() < simulator.badRecords)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long rows = cassandraRows(config);
        job.cancel().get(30, TimeUnit.SECONDS);
        observations.stop();
        deadLetters.stop();

        boolean complete =
                observations.records.get() == simulator.goodPoints
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
                config.topics().observations(), observations.records.get());
        System.out.printf(
                "  dead letters in %-24s %,12d%n",
                config.topics().deadLetter(), deadLetters.records.get());
        deadLetters
                .reasons()
                .forEach(
                        (reason, count) -> System.out.printf("      %-36s %,12d%n", reason, count));
        System.out.printf(
                "  rows in Cassandra %s.observations_raw    %12s  (all runs; a repeated series and"
                        + " timestamp is one row)%n",
                config.cassandra().keyspace(), rows < 0 ? "n/a" : String.format("%,d", rows));
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
        System.exit(complete ? 0 : 1);
    }

    private static JobClient startJob(IngestConfig config) throws Exception {
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        JobEnvironment.configure(env, config.checkpoints());
        IngestNormalizeJob.defineWorkflow(env, config, IngestNormalizeJob.rawSource(config));
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

    private static void createTopics(IngestConfig config) throws Exception {
        try (Admin admin = Admin.create(KafkaClientProperties.build(config.kafka()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic :
                    List.of(
                            config.topics().raw(),
                            config.topics().observations(),
                            config.topics().deadLetter())) {
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

    private static long cassandraRows(IngestConfig config) {
        try (CqlSession session =
                CqlSessions.open(config.cassandra(), LocalSuite.class.getClassLoader())) {
            return session.execute(
                            com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                                            "SELECT count(*) FROM "
                                                    + config.cassandra().keyspace()
                                                    + ".observations_raw")
                                    .setTimeout(Duration.ofSeconds(60)))
                    .one()
                    .getLong(0);
        } catch (RuntimeException e) {
            return -1;
        }
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
