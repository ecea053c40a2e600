package io.tsflow.benchmarks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.alerts.delivery.AlertmanagerSettings;
import io.tsflow.alerts.delivery.AlertmanagerSink;
import io.tsflow.alerts.pipeline.AlertsPipeline;
import io.tsflow.alerts.pipeline.WatchTiming;
import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.benchmarks.BenchmarkCluster;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertStatus;
import io.tsflow.schema.Observation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The alerts benchmark (issue 4): the watching graph ({@code AlertsPipeline}, one stale rule over
 * every series) at parallelism 2 on a MiniCluster with the heap state backend and checkpoints every
 * 10 s, fed by generated live readings.
 *
 * <ol>
 *   <li>Throughput: as fast as it goes, beside the hand-written single-threaded loop in the same
 *       run (the baseline).
 *   <li>Sustained: {@code --rate} readings/s over {@code --series} series (one reading per series
 *       per second at the defaults) for {@code --seconds}; a hundredth of the series falls silent
 *       half-way. Reported: the rate reached, false alerts, the delay from {@code staleAfter}
 *       elapsing to FIRING in the job and to the alert's arrival in the real Alertmanager ({@code
 *       updatedAt} of {@code GET /api/v2/alerts}), and checkpoint bytes per series.
 *   <li>State per series: heap, checkpoint and timers of each engine's operators ({@link
 *       StateFootprint}) while watching, after firing and after {@code forgetAfter}.
 * </ol>
 *
 * Run: {@code ./tsflow bench alerts} (options: {@code --series=100000 --rate=100000 --seconds=40
 * --points=4000000}).
 */
public final class AlertsBenchmarkHarness {

    private static final int SILENCED_EVERY = 100;
    private static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final Duration STALE_AFTER_FOOTPRINT = Duration.ofMinutes(5);

    private AlertsBenchmarkHarness() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        options.put("series", "100000");
        options.put("rate", "100000");
        options.put("seconds", "40");
        options.put("points", "4000000");
        options.put("engines", "timer,cep");
        options.put("phases", "all");
        options.put(
                "alertmanager",
                System.getenv().getOrDefault("TSFLOW_ALERTMANAGER_URL", "http://127.0.0.1:19094"));
        // exec:exec passes the options as one argument.
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(
                        arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        int series = Integer.parseInt(options.get("series"));
        List<String> engines = List.of(options.get("engines").split(","));
        // State first: a fresh heap measures it best.
        printFootprints(series, engines);
        if (!options.get("phases").equals("footprint")) {
            printThroughput(series, Long.parseLong(options.get("points")), engines);
            printSustained(
                    series,
                    Integer.parseInt(options.get("rate")),
                    Integer.parseInt(options.get("seconds")),
                    options.get("alertmanager"),
                    engines);
        }
        System.exit(0);
    }

    private static void printThroughput(int series, long points, List<String> engines)
            throws Exception {
        // Warm the JIT on both sides first.
        HandWrittenWatchLoop.run(new LiveSensors(series, SILENCED_EVERY, Long.MAX_VALUE), 500_000);
        for (String engine : engines) {
            throughput(series, 500_000, engine);
        }
        List<String> rows = new ArrayList<>();
        long loopStart = System.nanoTime();
        HandWrittenWatchLoop.run(new LiveSensors(series, SILENCED_EVERY, Long.MAX_VALUE), points);
        double loopRate = points / ((System.nanoTime() - loopStart) / 1e9);
        rows.add(row("hand-written loop, 1 thread", loopRate, "1.00"));
        for (String engine : engines) {
            double jobRate = throughput(series, points, engine);
            rows.add(
                    row(
                            "job, " + engine + " engine, parallelism 2",
                            jobRate,
                            String.format(Locale.ROOT, "%.2f", jobRate / loopRate)));
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Throughput, %,d series, %,d readings, one stale rule (staleAfter 5m):%n%n",
                series,
                points);
        System.out.println("| run | observations/s | vs. loop |");
        System.out.println("| --- | ---: | ---: |");
        rows.forEach(System.out::println);
    }

    private static void printSustained(
            int series, int rate, int seconds, String alertmanager, List<String> engines)
            throws Exception {
        List<String> rows = new ArrayList<>();
        for (String engine : engines) {
            Sustained reference = sustained(1_000, rate, 15, null, 12, engine);
            Sustained run = sustained(series, rate, seconds, alertmanager, 12, engine);
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,.0f | %d of %d | %d | %d / %d ms | %d / %d ms (%d there) |"
                                    + " %,.0f B |",
                            engine,
                            run.rateReached,
                            run.firingSilenced,
                            series / SILENCED_EVERY,
                            run.falseAlerts,
                            percentile(run.jobDelays, 50),
                            percentile(run.jobDelays, 99),
                            percentile(run.alertmanagerDelays, 50),
                            percentile(run.alertmanagerDelays, 99),
                            run.alertmanagerDelays.size(),
                            (double) (run.checkpointBytes - reference.checkpointBytes)
                                    / (series - 1_000)));
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Sustained, %,d series at %,d readings/s for %d s; %d fall silent at %d s;"
                        + " staleAfter %s. Delays are median / p99 from staleAfter elapsing;"
                        + " checkpoint bytes per watched series, (at %,d series - at 1,000) /"
                        + " difference:%n%n",
                series,
                rate,
                seconds,
                series / SILENCED_EVERY,
                seconds / 2,
                STALE_AFTER,
                series);
        System.out.println(
                "| engine | readings/s reached | stale alerts fired | false alerts | to FIRING in"
                        + " the job | to Alertmanager | checkpoint |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
    }

    private static void printFootprints(int series, List<String> engines) throws Exception {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "State per watched series, %,d series, one stale rule, heap backend (operator"
                        + " test harnesses):%n%n",
                series);
        System.out.println("| engine | moment | heap | checkpoint | timers |");
        System.out.println("| --- | --- | ---: | ---: | ---: |");
        for (String engine : engines) {
            StateFootprint.measure(
                            engine,
                            series,
                            staleRule("footprint", STALE_AFTER_FOOTPRINT, engine),
                            timing())
                    .forEach(System.out::println);
        }
    }

    private static String row(String run, double rate, String ratio) {
        return String.format(Locale.ROOT, "| %s | %,.0f | %s |", run, rate, ratio);
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(
                Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static AlertRule staleRule(String name, Duration staleAfter, String engine) {
        try {
            AlertRule rule =
                    ConfigLoader.mapper()
                            .readValue(
                                    "{name: "
                                            + name
                                            + ", kind: stale, metric: 'bench\\.temperature',"
                                            + " staleAfter: "
                                            + staleAfter.toSeconds()
                                            + "s, engine: "
                                            + engine
                                            + "}",
                                    AlertRule.class);
            rule.validate("rule");
            return rule;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StreamExecutionEnvironment environment(Path checkpoints) {
        return BenchmarkCluster.environment("hashmap", checkpoints);
    }

    /**
     * Re-sends after the run only: Alertmanager's {@code updatedAt} is then the first arrival of
     * each alert.
     */
    private static WatchTiming timing() {
        return new WatchTiming(
                Duration.ofMinutes(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1));
    }

    private static void define(
            StreamExecutionEnvironment env,
            DataGeneratorSource<Observation> source,
            AlertRule rule,
            Sink<Alert> changes,
            Sink<Alert> deliveries) {
        DataStream<Observation> readings =
                BenchmarkCluster.timedReadings(env, source, "live readings");
        AlertsPipeline.Outputs outputs = AlertsPipeline.define(readings, List.of(rule), timing());
        outputs.changes().sinkTo(changes);
        outputs.deliveries().sinkTo(deliveries);
    }

    /** Readings per second of the graph over {@code points} readings, unthrottled. */
    private static double throughput(int series, long points, String engine) throws Exception {
        StreamExecutionEnvironment env =
                environment(Files.createTempDirectory("tsflow-bench-alerts"));
        define(
                env,
                new DataGeneratorSource<>(
                        new LiveSensors(series, SILENCED_EVERY, Long.MAX_VALUE),
                        points,
                        new AvroTypeInfo<>(Observation.class)),
                staleRule("bench-throughput", Duration.ofMinutes(5), engine),
                new DiscardingSink<>(),
                new DiscardingSink<>());
        long start = System.nanoTime();
        env.execute("alerts-bench-throughput");
        double rate = points / ((System.nanoTime() - start) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "[bench] throughput, %s engine, %,d series: %,.0f/s%n",
                engine,
                series,
                rate);
        return rate;
    }

    private record Sustained(
            double rateReached,
            long firingSilenced,
            long falseAlerts,
            List<Long> jobDelays,
            List<Long> alertmanagerDelays,
            long checkpointBytes) {}

    private static Sustained sustained(
            int series,
            int rate,
            int seconds,
            String alertmanager,
            int measureAtSeconds,
            String engine)
            throws Exception {
        Path checkpoints = Files.createTempDirectory("tsflow-bench-alerts");
        String rule = "bench-stale-" + System.currentTimeMillis();
        long start = System.currentTimeMillis() + 2_000; // about when the job starts reading
        long silenceAt = start + seconds * 1000L / 2;
        LiveSensors.lastReadingMillis = new AtomicLongArray(series / SILENCED_EVERY);
        CollectedAlerts.CHANGES.clear();
        StreamExecutionEnvironment env = environment(checkpoints);
        long total = (long) rate * seconds;
        define(
                env,
                new DataGeneratorSource<>(
                        new LiveSensors(series, SILENCED_EVERY, silenceAt),
                        total,
                        RateLimiterStrategy.perSecond(rate),
                        new AvroTypeInfo<>(Observation.class)),
                staleRule(rule, STALE_AFTER, engine),
                new CollectedAlerts(),
                alertmanager == null
                        ? new DiscardingSink<>()
                        : new AlertmanagerSink(AlertmanagerSettings.of(alertmanager)));
        long submitted = System.nanoTime();
        JobClient job = env.executeAsync("alerts-bench-sustained-" + series);
        waitUntil(start + measureAtSeconds * 1000L);
        long checkpoint = latestCheckpointBytes(checkpoints);
        job.getJobExecutionResult().get();
        double reached = total / ((System.nanoTime() - submitted) / 1e9);

        long firingSilenced = 0;
        long falseAlerts = 0;
        List<Long> jobDelays = new ArrayList<>();
        Map<String, Integer> silencedByKey = new HashMap<>();
        for (int s = 0; s < series; s += SILENCED_EVERY) {
            silencedByKey.put(LiveSensors.key(s), s / SILENCED_EVERY);
        }
        for (Alert alert : CollectedAlerts.CHANGES) {
            if (alert.getStatus() != AlertStatus.FIRING) {
                continue;
            }
            Integer silenced = silencedByKey.get(alert.getSeriesKey());
            if (silenced == null) {
                falseAlerts++;
            } else {
                firingSilenced++;
                jobDelays.add(
                        alert.getStartsAtMillis()
                                - LiveSensors.lastReadingMillis.get(silenced)
                                - STALE_AFTER.toMillis());
            }
        }
        List<Long> alertmanagerDelays = new ArrayList<>();
        if (alertmanager != null) {
            for (JsonNode alert : activeAlerts(alertmanager)) {
                if (!rule.equals(alert.path("labels").path("rule").asText())) {
                    continue;
                }
                Integer silenced =
                        silencedByKey.get(
                                "bench.temperature{sensor=\""
                                        + alert.path("labels").path("sensor").asText()
                                        + "\"}");
                if (silenced != null) {
                    long arrived = Instant.parse(alert.path("updatedAt").asText()).toEpochMilli();
                    alertmanagerDelays.add(
                            arrived
                                    - LiveSensors.lastReadingMillis.get(silenced)
                                    - STALE_AFTER.toMillis());
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "[bench] sustained, "
                        + engine
                        + " engine, %,d series: %,.0f/s reached, checkpoint %,d B, %d alerts%n",
                series,
                reached,
                checkpoint,
                firingSilenced);
        return new Sustained(
                reached, firingSilenced, falseAlerts, jobDelays, alertmanagerDelays, checkpoint);
    }

    private static void waitUntil(long millis) throws InterruptedException {
        while (System.currentTimeMillis() < millis) {
            Thread.sleep(Math.min(200, Math.max(1, millis - System.currentTimeMillis())));
        }
    }

    /** Bytes of the newest completed checkpoint (full snapshots with the heap backend). */
    private static long latestCheckpointBytes(Path checkpoints) throws Exception {
        try (Stream<Path> all = Files.walk(checkpoints)) {
            Path newest =
                    all.filter(p -> p.getFileName().toString().equals("_metadata"))
                            .map(Path::getParent)
                            .max(
                                    Comparator.comparingInt(
                                            p ->
                                                    Integer.parseInt(
                                                            p.getFileName()
                                                                    .toString()
                                                                    .substring("chk-".length()))))
                            .orElse(null);
            if (newest == null) {
                return -1;
            }
            try (Stream<Path> files = Files.walk(newest)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }
    }

    private static JsonNode activeAlerts(String alertmanager) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(alertmanager + "/api/v2/alerts"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
