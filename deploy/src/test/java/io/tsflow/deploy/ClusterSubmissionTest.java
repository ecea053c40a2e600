package io.tsflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each job's shaded {@code -job.jar}, as a user submits it, on the real standalone Flink session
 * cluster of {@code scripts/services.sh} (JobManager and TaskManager JVMs with Flink's own class
 * loading), against the local Kafka, registry and Cassandra: it starts, runs, and writes output.
 * This is what shows the jars are right: bundled connectors and service files, Flink provided.
 */
// A fixed order: the refused SCRAM login runs before the secured job, the order that once left a
// dead
// JVM-wide SCRAM provider behind in the JobManager (see ScramProviderScope).
@TestMethodOrder(MethodOrderer.MethodName.class)
class ClusterSubmissionTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final long T0 = 1_763_805_600_000L;

    private final LocalServers servers = LocalServers.get();
    private final FlinkRest flink = new FlinkRest(servers.flinkRestUrl());
    private final TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
    private final SchemaRegistryClient registry =
            new SchemaRegistryClient(RegistrySettings.of(servers.registryUrl()));
    private final List<String> jobs = new ArrayList<>();
    @TempDir Path dir;

    @AfterEach
    void cancelJobs() throws Exception {
        for (String job : jobs) {
            if (flink.state(job).equals("RUNNING")) {
                flink.cancel(job);
            }
        }
    }

    /** The shaded jar of {@code module} (under jobs/), built by the reactor before these tests. */
    private static Path jobJar(String module) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "jobs", module, "target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no -job.jar in jobs/" + module));
        }
    }

    private String submit(String module, String configYaml) throws Exception {
        return submit(module, configYaml, null);
    }

    private String submit(String module, String configYaml, String savepoint) throws Exception {
        Path config = dir.resolve(module + ".yaml");
        Files.writeString(config, configYaml);
        String jar = flink.upload(jobJar(module));
        String job =
                flink.run(jar, List.of("--config", config.toAbsolutePath().toString()), savepoint);
        jobs.add(job);
        await().atMost(WAIT).until(() -> flink.state(job).equals("RUNNING"));
        return job;
    }

    /** Fresh topics for one ingest-normalize job, created, and its {@code topics} section. */
    private record IngestTopics(String raw, String observations, String deadLetter) {
        String yaml() {
            return "topics: {raw: "
                    + raw
                    + ", observations: "
                    + observations
                    + ", deadLetter: "
                    + deadLetter
                    + "}\n";
        }
    }

    private IngestTopics ingestTopics() {
        IngestTopics topics =
                new IngestTopics(
                        TestKafka.uniqueName("raw"),
                        TestKafka.uniqueName("observations"),
                        TestKafka.uniqueName("raw-dead-letter"));
        kafka.createTopics(2, topics.raw(), topics.observations(), topics.deadLetter());
        return topics;
    }

    private String common(String name) {
        String group = TestKafka.uniqueName(name);
        return "checkpoints: {interval: 1s}\nconsumerGroup: "
                + group
                + "\ntransactionalIdPrefix: "
                + group
                + "\n";
    }

    private void sendObservations(String topic, List<Observation> points) throws Exception {
        ConfluentAvroEncoder<Observation> encoder =
                new ConfluentAvroEncoder<>(
                        registry, topic + "-value", Observation.getClassSchema());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Observation point : points) {
            records.add(
                    new ProducerRecord<>(
                            topic,
                            point.getSeriesKey().getBytes(StandardCharsets.UTF_8),
                            encoder.encode(point)));
        }
        kafka.sendAll(records);
    }

    private static Observation point(String metric, long at, double value) {
        return new Observation(
                SeriesKey.of(metric, new TreeMap<>(Map.of("site", "hq"))),
                metric,
                Map.of("site", "hq"),
                "tdouble",
                at * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> committed(
            String topic, Class<T> type, org.apache.avro.Schema schema) throws Exception {
        ConfluentAvroDecoder<T> decoder = new ConfluentAvroDecoder<>(registry, schema);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(topic, Duration.ofSeconds(30))) {
            out.add(decoder.decode(record.value()));
        }
        return out;
    }

    @Test
    void ingestNormalizeTurnsRawJsonIntoObservationsAndRows() throws Exception {
        IngestTopics topics = ingestTopics();
        String raw = topics.raw();
        String observations = topics.observations();
        String deadLetter = topics.deadLetter();
        String keyspace = TestCassandra.uniqueKeyspace("cluster");
        submit(
                "ingest-normalize",
                servers.connectionYaml(keyspace) + common("cluster-ingest") + topics.yaml());
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            messages.add(
                    ("{\"metric\":\"room.temp\",\"tagset\":{\"room\":\"r"
                                    + i
                                    + "\"},\"type\":\"tdouble\","
                                    + "\"values\":[["
                                    + (System.currentTimeMillis() - 1000)
                                    + ",21.5]]}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        messages.add("{not json".getBytes(StandardCharsets.UTF_8));
        kafka.produce(raw, 0, messages, Map.of());
        await().atMost(WAIT)
                .until(
                        () ->
                                kafka.readCommitted(observations, Duration.ofSeconds(30)).size()
                                        == 50);
        await().atMost(WAIT)
                .until(() -> kafka.readCommitted(deadLetter, Duration.ofSeconds(30)).size() == 1);
        awaitDashboardMetrics("ingest-normalize");
        awaitRawRows(keyspace, 50);
    }

    private void awaitRawRows(String keyspace, long rows) {
        try (var cassandra = TestCassandra.session(servers.cassandraContact())) {
            await().atMost(WAIT)
                    .until(
                            () ->
                                    cassandra
                                                    .execute(
                                                            "SELECT count(*) FROM "
                                                                    + keyspace
                                                                    + ".observations_raw")
                                                    .one()
                                                    .getLong(0)
                                            == rows);
        }
    }

    /** The tsflow metric names the shipped Grafana dashboard plots in the row of {@code job}. */
    private static Set<String> dashboardMetrics(String job) throws IOException {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                Path.of("..", "helm", "tsflow", "dashboards", "tsflow.json")
                                        .toFile());
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("flink_taskmanager_job_task_operator_tsflow_\\w+");
        for (JsonNode row : dashboard.path("panels")) {
            if (row.path("title").asText().equals(job)) {
                for (JsonNode panel : row.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        Matcher found = metric.matcher(target.path("expr").asText());
                        while (found.find()) {
                            names.add(found.group());
                        }
                    }
                }
            }
        }
        assertThat(names).as("dashboard row " + job).isNotEmpty();
        return names;
    }

    /** Waits until the cluster serves every metric the dashboard plots for {@code jobs}. */
    private static void awaitDashboardMetrics(String... jobs) throws IOException {
        Set<String> wanted = new TreeSet<>();
        for (String job : jobs) {
            wanted.addAll(dashboardMetrics(job));
        }
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            String served = scrapeMetrics();
                            assertThat(wanted)
                                    .allSatisfy(name -> assertThat(served).contains(name));
                        });
    }

    /** What the cluster's Prometheus reporters serve (one port per JVM), concatenated. */
    private static String scrapeMetrics() throws Exception {
        String ports = System.getenv().getOrDefault("TSFLOW_FLINK_METRICS_PORTS", "19250-19251");
        int first = Integer.parseInt(ports.substring(0, ports.indexOf('-')));
        int last = Integer.parseInt(ports.substring(ports.indexOf('-') + 1));
        StringBuilder all = new StringBuilder();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int port = first; port <= last; port++) {
            try {
                all.append(
                        http.send(
                                        java.net.http.HttpRequest.newBuilder(
                                                        java.net.URI.create(
                                                                "http://127.0.0.1:"
                                                                        + port
                                                                        + "/metrics"))
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body());
            } catch (IOException e) {
                // a port of the range nobody took
            }
        }
        return all.toString();
    }

    @Test
    void aSavepointUpgradeLosesAndDoublesNothingAndMetricsReachPrometheus() throws Exception {
        IngestTopics topics = ingestTopics();
        String raw = topics.raw();
        String observations = topics.observations();
        String config =
                servers.connectionYaml(TestCassandra.uniqueKeyspace("upgrade"))
                        + common("cluster-upgrade")
                        + "storage: {enabled: false}\n"
                        + topics.yaml();
        String first = submit("ingest-normalize", config);
        kafka.produce(raw, 0, rawMessages(0, 40), Map.of());
        await().atMost(WAIT)
                .until(
                        () ->
                                kafka.readCommitted(observations, Duration.ofSeconds(30)).size()
                                        == 40);

        // The operator's metrics, named as docs/operations.md says, scraped from the TaskManager.
        await().atMost(WAIT)
                .until(
                        () ->
                                scrapeMetrics()
                                        .contains(
                                                "flink_taskmanager_job_task_operator_tsflow_observationsOut"));

        String savepoint =
                flink.stopWithSavepoint(
                        first, dir.resolve("savepoints").toUri().toString(), Duration.ofMinutes(2));
        kafka.produce(raw, 1, rawMessages(40, 30), Map.of()); // while no job runs
        submit("ingest-normalize", config, savepoint); // "the new build"
        kafka.produce(raw, 0, rawMessages(70, 30), Map.of());
        await().atMost(WAIT)
                .until(
                        () ->
                                kafka.readCommitted(observations, Duration.ofSeconds(30)).size()
                                        >= 100);
        ConfluentAvroDecoder<Observation> decoder =
                new ConfluentAvroDecoder<>(registry, Observation.getClassSchema());
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(observations, Duration.ofSeconds(30))) {
            keys.add(decoder.decode(record.value()).getSeriesKey());
        }
        assertThat(keys).hasSize(100).doesNotHaveDuplicates();
    }

    private static Path state() {
        return Path.of(System.getenv().getOrDefault("TSFLOW_STATE_DIR", "../.tsflow"));
    }

    /** The passwords scripts/services.sh made for the local servers. */
    private static List<String> secrets() throws IOException {
        List<String> secrets = new ArrayList<>();
        try (Stream<Path> files = Files.list(state().resolve("secrets"))) {
            for (Path file :
                    files.filter(f -> f.getFileName().toString().endsWith("password")).toList()) {
                secrets.add(Files.readString(file).strip());
            }
        }
        return secrets;
    }

    /**
     * The cluster's jobs get the local servers' credentials as {@code *_FILE} variables (see
     * scripts/services.sh); an ingest job reaches Kafka over SASL_SSL, the registry through its
     * basic-auth gate and Cassandra over TLS with a password, and none of the secrets shows up in
     * Flink's logs, the servers' logs or anything Flink's REST API exposes.
     */
    @Test
    void theJobsWorkThroughTheSecuredDoorsAndNoSecretLeaks() throws Exception {
        Path state = state();
        List<String> secrets = secrets();
        assertThat(secrets)
                .hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(s -> assertThat(s).hasSizeGreaterThan(16));
        // The TaskManager is told where the secrets are, as a Kubernetes deployment would be.
        String taskManagerPid =
                Files.readString(state.resolve("run/flink-taskmanager.pid")).strip();
        assertThat(Files.readString(Path.of("/proc", taskManagerPid, "environ")))
                .contains("TSFLOW_KAFKA_PASSWORD_FILE=")
                .contains("TSFLOW_CASSANDRA_PASSWORD_FILE=")
                .contains("TSFLOW_REGISTRY_PASSWORD_FILE=");

        IngestTopics topics = ingestTopics();
        String keyspace = TestCassandra.uniqueKeyspace("secured");
        String job =
                submit(
                        "ingest-normalize",
                        servers.securedConnectionYaml(keyspace)
                                + common("cluster-secrets")
                                + topics.yaml());
        kafka.produce(topics.raw(), 0, rawMessages(0, 10), Map.of());
        await().atMost(WAIT)
                .until(
                        () ->
                                kafka.readCommitted(topics.observations(), Duration.ofSeconds(30))
                                                .size()
                                        == 10);
        awaitRawRows(keyspace, 10);

        List<String> exposed = new ArrayList<>();
        exposed.add(flink.get("/jobmanager/config"));
        exposed.add(flink.get("/jobs/" + job + "/config"));
        exposed.add(flink.get("/jobs/" + job + "/jobmanager/config"));
        exposed.add(flink.get("/jobmanager/environment"));
        for (JsonNode taskManager :
                new ObjectMapper().readTree(flink.get("/taskmanagers")).path("taskmanagers")) {
            exposed.add(flink.get("/taskmanagers/" + taskManager.path("id").asText()));
        }
        try (Stream<Path> logs = Files.list(state.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                exposed.add(Files.readString(log, StandardCharsets.ISO_8859_1));
            }
        }
        // What was submitted and stored: the uploaded jars, the blob store (job graph, jars,
        // offloaded task deployments) and checkpoints. Kafka's secrets reach the job as
        // placeholders its task managers resolve (the local cluster keeps no HA storage; the job
        // graph it would hold is what the blob store holds here).
        int storedFiles = 0;
        try (Stream<Path> stored = Files.walk(state.resolve("data/flink"))) {
            for (Path file : stored.filter(Files::isRegularFile).toList()) {
                String content;
                try {
                    content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                } catch (java.nio.file.NoSuchFileException subsumed) {
                    continue; // a checkpoint the running jobs have replaced since the listing
                }
                for (String secret : secrets) {
                    assertThat(content.contains(secret)).as(file + " holds a secret").isFalse();
                }
                storedFiles++;
            }
        }
        assertThat(storedFiles).as("files submitted and stored").isGreaterThan(2);
        assertThat(exposed)
                .hasSizeGreaterThan(8)
                .allSatisfy(
                        text -> {
                            for (String secret : secrets) {
                                assertThat(text).doesNotContain(secret);
                            }
                        });
    }

    /**
     * Credentials Kafka refuses stop the submission in the job's {@code main}, with a message that
     * names the variables to fix and no secret, and no job is left restarting on the cluster. (The
     * local user has SCRAM-SHA-512 credentials only: a SCRAM-SHA-256 login is a wrong password.)
     */
    @Test
    void credentialsKafkaRefusesFailTheSubmissionWithAClearMessage() throws Exception {
        IngestTopics topics = ingestTopics();
        Path config = dir.resolve("refused.yaml");
        Files.writeString(
                config,
                servers.securedConnectionYaml("unused").replace("SCRAM-SHA-512", "SCRAM-SHA-256")
                        + common("cluster-refused")
                        + "storage: {enabled: false}\n"
                        + topics.yaml());
        String jar = flink.upload(jobJar("ingest-normalize"));
        Set<String> before = jobIds();
        assertThatThrownBy(
                        () ->
                                flink.run(
                                        jar,
                                        List.of("--config", config.toAbsolutePath().toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CredentialsRefusedException")
                .hasMessageContaining("refused the SASL login of user 'tsflow'")
                .hasMessageContaining("TSFLOW_KAFKA_PASSWORD")
                .satisfies(
                        e -> {
                            for (String secret : secrets()) {
                                assertThat(e.getMessage()).doesNotContain(secret);
                            }
                        });
        assertThat(jobIds()).isEqualTo(before);
    }

    private Set<String> jobIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        for (JsonNode job : new ObjectMapper().readTree(flink.get("/jobs")).path("jobs")) {
            ids.add(job.path("id").asText());
        }
        return ids;
    }

    private static List<byte[]> rawMessages(int from, int count) {
        List<byte[]> messages = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            messages.add(
                    ("{\"metric\":\"room.temp\",\"tagset\":{\"room\":\"r"
                                    + i
                                    + "\"},\"type\":\"tdouble\",\"values\":[["
                                    + (System.currentTimeMillis() - 1000)
                                    + ",21.5]]}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        return messages;
    }

    @Test
    void rollupAlertsAndDerivedSeriesRunOnTheirObservations() throws Exception {
        String observations = TestKafka.uniqueName("observations");
        String aggregations = TestKafka.uniqueName("aggregations");
        String alerts = TestKafka.uniqueName("alerts");
        String deadLetter = TestKafka.uniqueName("observations-dead-letter");
        kafka.createTopics(
                2, observations, aggregations, alerts, deadLetter, aggregations + "-late");
        String keyspace = TestCassandra.uniqueKeyspace("cluster");
        String topics =
                "topics: {observations: "
                        + observations
                        + ", aggregations: "
                        + aggregations
                        + ", lateObservations: "
                        + aggregations
                        + "-late, alerts: "
                        + alerts
                        + ", deadLetter: "
                        + deadLetter
                        + "}\noutOfOrderness: 1s\nidleness: 2s\n";
        submit(
                "rollup",
                servers.connectionYaml(keyspace)
                        + common("cluster-rollup")
                        + topics.replace(", alerts: " + alerts, "")
                        + "levels: [{interval: 1m, allowedLateness: 0s, retention: 1d}]\n");
        submit(
                "alerts",
                "kafka: {bootstrapServers: '"
                        + servers.kafkaBootstrap()
                        + "'}\nschemaRegistry: {url: '"
                        + servers.registryUrl()
                        + "'}\n"
                        + common("cluster-alerts")
                        + topics.replace(", aggregations: " + aggregations, "")
                                .replace(", lateObservations: " + aggregations + "-late", "")
                        + "rules: [{name: hot, kind: outOfRange, metric: room\\.temp, max: 30}]\n");
        submit(
                "derived-series",
                servers.connectionYaml(keyspace)
                        + common("cluster-derived")
                        + topics.replace(", aggregations: " + aggregations, "")
                                .replace(", lateObservations: " + aggregations + "-late", "")
                                .replace(", alerts: " + alerts, "")
                        + "rules: [{name: fahrenheit, metric: room.temp_f, by: [site],"
                        + " inputs: {c: {metric: room\\.temp}}, expression: 'c * 9 / 5 + 32',"
                        + " step: 10s, lookback: 10s}]\n");
        // Three minutes of event time, one point every 10 s, the last one too hot.
        List<Observation> points = new ArrayList<>();
        for (int i = 0; i <= 18; i++) {
            points.add(point("room.temp", T0 + i * 10_000L, i == 18 ? 35 : 20 + i % 3));
        }
        sendObservations(observations, points);

        await().atMost(WAIT)
                .until(
                        () ->
                                committed(alerts, Alert.class, Alert.getClassSchema()).stream()
                                        .anyMatch(a -> a.getRule().equals("hot")));
        await().atMost(WAIT)
                .until(
                        () ->
                                committed(
                                                observations,
                                                Observation.class,
                                                Observation.getClassSchema())
                                        .stream()
                                        .anyMatch(o -> "fahrenheit".equals(o.getDerivedBy())));
        await().atMost(WAIT)
                .until(() -> kafka.readCommitted(aggregations, Duration.ofSeconds(30)).size() >= 2);
        List<Observation> derived =
                committed(observations, Observation.class, Observation.getClassSchema()).stream()
                        .filter(o -> "fahrenheit".equals(o.getDerivedBy()))
                        .toList();
        assertThat(derived)
                .allSatisfy(o -> assertThat((Double) o.getValue()).isBetween(68.0, 95.0));
        awaitDashboardMetrics("rollup", "alerts", "derived-series");
    }
}
