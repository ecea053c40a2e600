package io.tsflow.benchmarks.flood;

import io.tsflow.testing.LocalServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cardinality flood at full size: one million one-off series in 60 s through ingest, rollup and
 * alerts, twice. First with the limits' defaults on a job that has run for a while (ingest's
 * new-series gate in force), then with ingest in its start-up grace (every series passes it), so
 * that rollup's and alerts' own limits are what holds. Prints each run's measurements beside the
 * bound each limit promises.
 *
 * <p>Run: {@code ./tsflow bench flood} (options: {@code --series=1000000 --seconds=60
 * --scenarios=steady,grace}).
 */
public final class FloodHarness {

    private FloodHarness() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        options.put("series", "1000000");
        options.put("seconds", "60");
        options.put("scenarios", "steady,grace");
        // exec:exec passes the options as one argument.
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(
                        arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        int series = Integer.parseInt(options.get("series"));
        Duration floodFor = Duration.ofSeconds(Long.parseLong(options.get("seconds")));
        for (String scenario : List.of(options.get("scenarios").split(","))) {
            // The defaults of ingest.newSeries, maxSeriesPerSubtask and maxSeriesPerRule.
            FloodSettings settings =
                    new FloodSettings(
                            series,
                            floodFor,
                            20,
                            10_000,
                            scenario.equals("grace") ? Duration.ofMinutes(10) : Duration.ZERO,
                            1_000_000,
                            100_000,
                            Duration.ofSeconds(15));
            long started = System.nanoTime();
            FloodResult result = new CardinalityFlood(settings, LocalServers.get()).run();
            print(scenario, settings, result, (System.nanoTime() - started) / 1e9);
        }
        System.exit(0);
    }

    private static void print(
            String scenario, FloodSettings settings, FloodResult result, double seconds) {
        System.out.printf(
                Locale.ROOT,
                "%n### Scenario %s: %,d one-off series in %d s, %d rooms (%.0f s in all)%n%n",
                scenario,
                settings.floodSeries(),
                settings.floodFor().toSeconds(),
                settings.rooms(),
                seconds);
        System.out.println("| measured | value | bound |");
        System.out.println("| --- | ---: | ---: |");
        row("records sent to raw", result.recordsSent(), "");
        row("records ingest read", result.ingestRecordsIn(), "");
        row(
                "observations ingest wrote",
                result.ingestObservations(),
                settings.ingestStartupGrace().isZero()
                        ? "rooms + "
                                + String.format(
                                        Locale.ROOT,
                                        "%,d",
                                        settings.ingestAdmittedBound(
                                                Duration.ofMillis(result.ingestGateOpenFor())))
                                + " new series"
                        : "(start-up grace: no limit)");
        row("ingest dead letters, CARDINALITY_LIMIT", result.ingestRefusedByLimit(), "");
        row(
                "series rollup held (openSeries, max)",
                result.rollupOpenSeriesMax(),
                String.format(Locale.ROOT, "%,d", settings.rollupSeriesBound()));
        row("rollup dead letters, CARDINALITY_LIMIT", result.rollupRefusedByLimit(), "");
        row("alerts dead letters, CARDINALITY_LIMIT", result.alertsRefusedByLimit(), "");
        row("FIRING changes (alertsFired)", result.alertsFired(), "");
        row(
                "FIRING at the end (alertsFired - alertsResolved)",
                result.alertsFiringAtTheEnd(),
                String.format(Locale.ROOT, "%,d", settings.watchedSeriesBound()));
        row(
                "alerts active in Alertmanager",
                result.alertmanagerActive(),
                String.format(Locale.ROOT, "%,d", settings.watchedSeriesBound()));
        row(
                "Alertmanager sink queue (max)",
                result.alertmanagerPendingMax(),
                String.format(Locale.ROOT, "%,d", settings.watchedSeriesBound()));
        result.checkpointBytesMax()
                .forEach((job, bytes) -> row(job + " checkpoint, bytes (max)", bytes, ""));
        row("heap used, bytes (max, whole JVM)", result.heapUsedMax(), "");
        row("heap after GC, bytes (jobs running)", result.heapAfterGc(), "");
        System.out.println("| jobs at the end | " + result.jobStates() + " | all RUNNING |");
        System.out.println("| rooms' alert changes | " + result.roomAlerts() + " | r0 FIRING |");
    }

    private static void row(String what, long value, String bound) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %s |%n", what, value, bound);
    }
}
