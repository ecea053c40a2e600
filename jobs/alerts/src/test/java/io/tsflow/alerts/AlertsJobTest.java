package io.tsflow.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.alerts.delivery.AlertmanagerApi;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.runtime.ObservationsInput;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertStatus;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestKafka;
import io.tsflow.testing.flink.TestClusters;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole job on the MiniCluster against the real Kafka, registry and Alertmanager. */
class AlertsJobTest {

    // Four slots: a job restored at parallelism 4.
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.withSlots(4);

    /**
     * How long a condition may take to hold. Generous: the first alert after a (re)start waits for
     * the job's start-up, which took more than 90 s once on the 2-core machine under load.
     */
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final LocalServers servers = LocalServers.get();
    private final TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
    private final String observations = TestKafka.uniqueName("observations");
    private final String alerts = TestKafka.uniqueName("alerts");
    private final String deadLetter = TestKafka.uniqueName("alerts-dead-letter");
    private final String rule = TestKafka.uniqueName("silent");
    private final String silentRoom = key("silent");
    private final String chattyRoom = key("chatty");

    @TempDir Path savepoints;

    private static String key(String room) {
        return SeriesKey.of("temp", new TreeMap<>(Map.of("room", room)));
    }

    private AlertsConfig config(String engine) {
        String group = TestKafka.uniqueName("alerts-test");
        String yaml =
                "kafka: {bootstrapServers: '"
                        + servers.kafkaBootstrap()
                        + "'}\nschemaRegistry: {url: '"
                        + servers.registryUrl()
                        + "'}\n"
                        + "checkpoints: {interval: 300ms}\n"
                        + "topics: {observations: "
                        + observations
                        + ", alerts: "
                        + alerts
                        + ", deadLetter: "
                        + deadLetter
                        + "}\n"
                        + "consumerGroup: "
                        + group
                        + "\ntransactionalIdPrefix: "
                        + group
                        + "\noutOfOrderness: 1s\nidleness: 2s\n"
                        + "backlog: {maxLag: 3s, startupGrace: 3s, activeWithin: 1s,"
                        + " recheckEvery: 200ms}\n"
                        + "alertmanager: {urls: ['"
                        + servers.alertmanagerUrl()
                        + "'], resendEvery: 1s}\n"
                        + "rules:\n"
                        + "  - {name: "
                        + rule
                        + ", kind: stale, metric: temp, staleAfter: 3s, engine: "
                        + engine
                        + "}\n";
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                AlertsConfig.class,
                "alerts-test");
    }

    /** Produces points of one series with the current time, from one thread. */
    private final class Sensor {
        private final String series;
        private final ConfluentAvroEncoder<Observation> encoder;
        private final KafkaProducer<byte[], byte[]> producer = kafka.producer();
        final AtomicLong sent = new AtomicLong();

        Sensor(String series, SchemaRegistryClient registry) throws java.io.IOException {
            this.series = series;
            this.encoder =
                    new ConfluentAvroEncoder<>(
                            registry, observations + "-value", Observation.getClassSchema());
        }

        void send() {
            try {
                long now = System.currentTimeMillis();
                Observation point =
                        new Observation(
                                series,
                                "temp",
                                Map.copyOf(SeriesKey.parse(series).tags()),
                                "tdouble",
                                now * 1000,
                                20.0 + sent.get() % 3,
                                Origin.MEASURED,
                                null);
                producer.send(
                        new ProducerRecord<>(
                                observations,
                                series.getBytes(StandardCharsets.UTF_8),
                                encoder.encode(point)));
                producer.flush();
                sent.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private JobClient start(AlertsConfig config, String savepoint) throws Exception {
        return start(config, savepoint, 2);
    }

    private JobClient start(AlertsConfig config, String savepoint, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env;
        if (savepoint == null) {
            env = TestClusters.environment(0);
        } else {
            Configuration restore = new Configuration();
            restore.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
            env = TestClusters.environment(0);
            env.configure(restore);
        }
        env.setParallelism(parallelism);
        JobEnvironment.configure(env, config.checkpoints());
        AlertsJob.defineWorkflow(
                env,
                config,
                ObservationsInput.source(
                        config.kafka(),
                        config.schemaRegistry(),
                        observations,
                        config.consumerGroup(),
                        "alerts"),
                AlertsSinks.production(config));
        return env.executeAsync("alerts-test");
    }

    private List<Alert> committedAlerts(SchemaRegistryClient registry) throws Exception {
        ConfluentAvroDecoder<Alert> decoder =
                new ConfluentAvroDecoder<>(registry, Alert.getClassSchema());
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readCommitted(alerts, Duration.ofSeconds(30))) {
            out.add(decoder.decode(record.value()));
        }
        return out;
    }

    /** Waits until the silent room's RESOLVED is committed and Alertmanager has no alert left. */
    private void awaitResolved(SchemaRegistryClient registry) {
        await().atMost(WAIT)
                .until(() -> statusesOf(committedAlerts(registry), silentRoom).size() >= 2);
        await().atMost(WAIT)
                .until(
                        () ->
                                AlertmanagerApi.activeAlerts(
                                                servers.alertmanagerUrl(), "rule", rule)
                                        .isEmpty());
    }

    private static List<AlertStatus> statusesOf(List<Alert> alerts, String series) {
        return alerts.stream()
                .filter(a -> a.getSeriesKey().equals(series))
                .map(Alert::getStatus)
                .toList();
    }

    @ParameterizedTest(name = "engine {0}")
    @ValueSource(strings = {"timer", "cep"})
    void aStaleAlertSurvivesAStopWithSavepointAsOneFiringAndOneResolved(String engine)
            throws Exception {
        kafka.createTopics(2, observations, alerts, deadLetter);
        AlertsConfig config = config(engine);
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        Sensor silent = new Sensor(silentRoom, registry);
        Sensor chatty = new Sensor(chattyRoom, registry);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        JobClient job = start(config, null);
        try {
            heartbeat.scheduleAtFixedRate(chatty::send, 0, 200, TimeUnit.MILLISECONDS);
            // A record that is not an observation: a dead letter, not a crash.
            kafka.produce(
                    observations,
                    0,
                    List.of("not avro".getBytes(StandardCharsets.UTF_8)),
                    Map.of());
            silent.send();

            await().atMost(WAIT)
                    .until(() -> statusesOf(committedAlerts(registry), silentRoom).size() == 1);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    AlertmanagerApi.activeAlerts(
                                                            servers.alertmanagerUrl(), "rule", rule)
                                                    .size()
                                            == 1);

            String savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(2, TimeUnit.MINUTES);
            // Down for longer than staleAfter while the chatty sensor keeps reporting: its points
            // wait in Kafka, and the restored job must not take their absence for silence.
            long sentAtStop = chatty.sent.get();
            await().atMost(WAIT).until(() -> chatty.sent.get() >= sentAtStop + 25);
            job = start(config, savepoint);

            silent.send(); // the silent sensor comes back
            awaitResolved(registry);
        } finally {
            heartbeat.shutdownNow();
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        List<Alert> all = committedAlerts(registry);
        assertThat(statusesOf(all, silentRoom))
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(statusesOf(all, chattyRoom)).isEmpty();
        ConfluentAvroDecoder<Rejected> rejected =
                new ConfluentAvroDecoder<>(registry, Rejected.getClassSchema());
        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                kafka.readCommitted(deadLetter, Duration.ofSeconds(30));
        assertThat(deadLetters).hasSize(1);
        Rejected letter = rejected.decode(deadLetters.get(0).value());
        assertThat(letter.getReason()).isEqualTo("MALFORMED_AVRO");
        assertThat(letter.getJob()).isEqualTo("alerts");
        assertThat(StandardCharsets.UTF_8.decode(letter.getOriginal()).toString())
                .isEqualTo("not avro");
    }

    /**
     * Stopped with a savepoint at parallelism 2 while twenty rooms report and one has fired, then
     * restored at 1 and at 4 after a pause longer than staleAfter: each series' watch moves to the
     * subtask that now owns its key. The fired room's alert stays firing until it reports again and
     * then resolves, once each; no room that kept reporting fires, neither while the restored job
     * reads what piled up during the pause nor after.
     */
    @ParameterizedTest(name = "engine {0}, restored at parallelism {1}")
    @CsvSource({"timer, 1", "timer, 4", "cep, 1", "cep, 4"})
    void restoredAtAnotherParallelismNoAlertIsLostDoubledOrFalse(String engine, int parallelism)
            throws Exception {
        kafka.createTopics(2, observations, alerts, deadLetter);
        AlertsConfig config = config(engine);
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        Sensor silent = new Sensor(silentRoom, registry);
        List<Sensor> rooms = new ArrayList<>();
        for (int room = 1; room < 20; room++) {
            rooms.add(new Sensor(key("r" + room), registry));
        }
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        JobClient job = start(config, null, 2);
        try {
            heartbeat.scheduleAtFixedRate(
                    () -> rooms.forEach(Sensor::send), 0, 300, TimeUnit.MILLISECONDS);
            silent.send();
            await().atMost(WAIT)
                    .until(() -> statusesOf(committedAlerts(registry), silentRoom).size() == 1);

            String savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(2, TimeUnit.MINUTES);
            // Down for more than staleAfter (3 s at 300 ms a round): the rooms' points wait.
            long roundsAtStop = rooms.get(0).sent.get();
            await().atMost(WAIT).until(() -> rooms.get(0).sent.get() >= roundsAtStop + 15);
            job = start(config, savepoint, parallelism);

            // Twice staleAfter of live rounds read by the restored job: a room taken for silent
            // would have fired, and its alert been committed, by then.
            long roundsAtRestore = rooms.get(0).sent.get();
            await().atMost(WAIT).until(() -> rooms.get(0).sent.get() >= roundsAtRestore + 20);
            long produced = kafka.countAll(observations);
            await().atMost(WAIT)
                    .until(() -> kafka.groupCommittedSum(config.consumerGroup()) >= produced);
            silent.send(); // the silent room comes back
            awaitResolved(registry);
        } finally {
            heartbeat.shutdownNow();
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        List<Alert> all = committedAlerts(registry);
        assertThat(all).extracting(Alert::getSeriesKey).containsOnly(silentRoom);
        assertThat(statusesOf(all, silentRoom))
                .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(kafka.countAll(deadLetter)).isZero();
    }

    /**
     * Three hours of readings from twenty rooms wait in Kafka, both partitions, when the job
     * starts: a backlog after downtime. One room stopped reporting an hour before the end of it;
     * the others go on live. While the job works through the backlog no room may fire, and once it
     * has caught up only the room that really fell silent does.
     */
    @ParameterizedTest(name = "engine {0}")
    @ValueSource(strings = {"timer", "cep"})
    void hoursOfBacklogRaiseNoFalseAlertAndTheReallySilentRoomFiresOnceCaughtUp(String engine)
            throws Exception {
        List<Alert> all = readBacklogUntilTheSilentRoomFires(engine, 0);
        assertThat(all).extracting(Alert::getSeriesKey).containsOnly(key("r0"));
        assertThat(statusesOf(all, key("r0"))).containsExactly(AlertStatus.FIRING);
    }

    /**
     * The same backlog with 200 series of gateways whose clocks run ten years ahead among it (as
     * written by a producer other than ingest, or by an ingest allowed to take the future): their
     * points must not move the job's sense of "caught up", so the rooms' alerts are exactly those
     * of the backlog alone. The skewed series themselves fall silent after their one point, and may
     * fire for that.
     */
    @ParameterizedTest(name = "engine {0}")
    @ValueSource(strings = {"timer", "cep"})
    void seriesStampedTenYearsAheadLeaveTheRoomsAlertsUnchanged(String engine) throws Exception {
        List<Alert> all = readBacklogUntilTheSilentRoomFires(engine, SKEWED_SERIES);
        List<Alert> rooms = all.stream().filter(a -> !a.getSeriesKey().contains("skewed")).toList();
        assertThat(rooms).extracting(Alert::getSeriesKey).containsOnly(key("r0"));
        assertThat(statusesOf(rooms, key("r0"))).containsExactly(AlertStatus.FIRING);
        assertThat(kafka.countAll(deadLetter)).isZero();
    }

    private static final int SKEWED_SERIES = 200;

    /**
     * Three hours of readings of twenty rooms, r0 silent for the last hour, and {@code skewed}
     * series with one point ten years ahead, wait in Kafka; the job starts while rooms r1-r19 go on
     * live, and runs until r0 fires. Returns every committed alert.
     */
    private List<Alert> readBacklogUntilTheSilentRoomFires(String engine, int skewed)
            throws Exception {
        kafka.createTopics(2, observations, alerts, deadLetter);
        AlertsConfig config = config(engine);
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        ConfluentAvroEncoder<Observation> encoder =
                new ConfluentAvroEncoder<>(
                        registry, observations + "-value", Observation.getClassSchema());
        long now = System.currentTimeMillis();
        long start = now - Duration.ofHours(3).toMillis();
        List<Sensor> live = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> backlog = new ArrayList<>();
        for (int room = 0; room < 20; room++) {
            String series = key("r" + room);
            long end = room == 0 ? now - Duration.ofHours(1).toMillis() : now;
            for (long t = start; t < end; t += 10_000) {
                Observation point =
                        new Observation(
                                series,
                                "temp",
                                Map.of("room", "r" + room),
                                "tdouble",
                                t * 1000,
                                20.0 + room,
                                Origin.MEASURED,
                                null);
                backlog.add(
                        new ProducerRecord<>(
                                observations,
                                series.getBytes(StandardCharsets.UTF_8),
                                encoder.encode(point)));
            }
            if (room > 0) {
                live.add(new Sensor(series, registry));
            }
        }
        long tenYearsAhead = now + Duration.ofDays(3653).toMillis();
        for (int i = 0; i < skewed; i++) {
            Map<String, String> tags = Map.of("gateway", "skewed", "room", "s" + i);
            String series = SeriesKey.of("temp", new TreeMap<>(tags));
            Observation point =
                    new Observation(
                            series,
                            "temp",
                            tags,
                            "tdouble",
                            (tenYearsAhead + i * 1000L) * 1000,
                            21.0,
                            Origin.MEASURED,
                            null);
            // Interleaved with the rooms' backlog, in both partitions.
            backlog.add(
                    (i * 97) % backlog.size(),
                    new ProducerRecord<>(
                            observations,
                            i % 2,
                            tenYearsAhead,
                            series.getBytes(StandardCharsets.UTF_8),
                            encoder.encode(point)));
        }
        kafka.sendAll(backlog);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        JobClient job = start(config, null);
        try {
            heartbeat.scheduleAtFixedRate(
                    () -> live.forEach(Sensor::send), 0, 500, TimeUnit.MILLISECONDS);
            await().atMost(WAIT)
                    .until(() -> statusesOf(committedAlerts(registry), key("r0")).size() == 1);
            // r0 can only fire after the backlog is read and staleAfter has passed: a false alert
            // raised while reading it would be committed by now, in an earlier transaction.
        } finally {
            heartbeat.shutdownNow();
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        return committedAlerts(registry);
    }
}
