package io.tsflow.benchmarks.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.query.QueryConfig;
import io.tsflow.query.QueryServer;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.storage.raw.RawObservationMapper;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.raw.StorageSettings;
import io.tsflow.storage.rollup.RollupTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * The query service's read latency: {@code /render} of 100 series over 24 h at the 1m rollup
 * (144,000 points, JSON) against the local Cassandra node, beside the same rows read directly with
 * the driver (one query per series, in the same order) in the same run. Run: {@code ./tsflow bench
 * query} (options: {@code --series=100 --renders=50}).
 */
public final class QueryLatencyHarness {

    private static final long DAY_START_MICROS =
            Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    private static final long MINUTE_MICROS = 60_000_000L;

    private QueryLatencyHarness() {}

    public static void main(String[] args) throws Exception {
        int seriesCount = 100;
        int renders = 50;
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--series=")) {
                seriesCount = Integer.parseInt(arg.substring("--series=".length()));
            } else if (arg.startsWith("--renders=")) {
                renders = Integer.parseInt(arg.substring("--renders=".length()));
            }
        }
        String contact = LocalServers.get().cassandraContact();
        String keyspace = TestCassandra.uniqueKeyspace("querybench");
        CassandraSettings cassandra = CassandraSettings.local(contact, keyspace);
        RawTable.applySchema(cassandra);
        RollupTable.applySchema(cassandra);
        try (CqlSession session = TestCassandra.session(contact)) {
            List<String> keys = store(session, keyspace, seriesCount);
            QueryConfig config =
                    new QueryConfig(
                            cassandra,
                            StorageSettings.defaults(),
                            List.of("1m", "1h"),
                            "127.0.0.1",
                            0,
                            seriesCount,
                            1_000_000,
                            null,
                            null);
            try (QueryServer server = QueryServer.of(config, session)) {
                server.start();
                String uri =
                        "http://127.0.0.1:"
                                + server.port()
                                + "/render?target="
                                + URLEncoder.encode(
                                        "seriesByTag('name=bench.load')", StandardCharsets.UTF_8)
                                + "&from="
                                + DAY_START_MICROS / 1_000_000
                                + "&until="
                                + (DAY_START_MICROS / 1_000_000 + 86_400)
                                + "&level=1m";
                HttpClient http = HttpClient.newHttpClient();
                PreparedStatement direct =
                        session.prepare(
                                "SELECT bucket_start_micros, mean FROM "
                                        + keyspace
                                        + ".rollups WHERE series_key = ? AND interval = '1m' AND"
                                        + " shard = '2026' AND bucket_start_micros >= ? AND"
                                        + " bucket_start_micros < ?");
                long points = check(http, uri, seriesCount);
                for (int i = 0; i < 5; i++) { // warm both paths
                    render(http, uri);
                    readDirectly(session, direct, keys);
                }
                long[] renderNanos = new long[renders];
                long[] directNanos = new long[renders];
                for (int i = 0; i < renders; i++) {
                    long start = System.nanoTime();
                    render(http, uri);
                    renderNanos[i] = System.nanoTime() - start;
                    start = System.nanoTime();
                    readDirectly(session, direct, keys);
                    directNanos[i] = System.nanoTime() - start;
                }
                report(seriesCount, points, renders, renderNanos, directNanos);
            }
            session.execute("DROP KEYSPACE " + keyspace);
        }
        System.exit(0);
    }

    /** The series (registered as ingest registers them) and their day of 1m buckets. */
    private static List<String> store(CqlSession session, String keyspace, int seriesCount)
            throws InterruptedException {
        RawObservationMapper registry =
                new RawObservationMapper(keyspace, StorageSettings.defaults());
        registry.open(session);
        PreparedStatement bucket =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".rollups (series_key, interval, shard, bucket_start_micros,"
                                + " count, min, max, mean) VALUES (?, '1m', '2026', ?, 2, ?, ?,"
                                + " ?)");
        Semaphore inFlight = new Semaphore(256);
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            Map<String, String> tags = Map.of("host", String.format(Locale.ROOT, "h%03d", s));
            String key = SeriesKey.of("bench.load", new TreeMap<>(tags));
            keys.add(key);
            registry.statementsFor(
                    new Observation(
                            key,
                            "bench.load",
                            tags,
                            "tdouble",
                            DAY_START_MICROS,
                            1.0,
                            Origin.MEASURED,
                            null),
                    session::execute);
            for (int minute = 0; minute < 1_440; minute++) {
                double value = s + Math.sin(minute / 60.0);
                inFlight.acquire();
                CompletionStage<AsyncResultSet> write =
                        session.executeAsync(
                                bucket.bind(
                                        key,
                                        DAY_START_MICROS + minute * MINUTE_MICROS,
                                        value - 0.5,
                                        value + 0.5,
                                        value));
                write.whenComplete((result, error) -> inFlight.release());
            }
        }
        inFlight.acquire(256);
        inFlight.release(256);
        return keys;
    }

    private static String render(HttpClient http, String uri) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(uri)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Renders once and checks every series came back whole; returns the number of points. */
    private static long check(HttpClient http, String uri, int seriesCount) throws Exception {
        JsonNode series = new ObjectMapper().readTree(render(http, uri));
        long points = 0;
        for (JsonNode one : series) {
            if (one.get("datapoints").size() != 1_440 || !"1m".equals(one.get("level").asText())) {
                throw new IllegalStateException("incomplete series " + one.get("target"));
            }
            points += one.get("datapoints").size();
        }
        if (series.size() != seriesCount) {
            throw new IllegalStateException(series.size() + " series rendered");
        }
        return points;
    }

    private static long readDirectly(
            CqlSession session, PreparedStatement direct, List<String> keys) {
        long rows = 0;
        for (String key : keys) {
            List<double[]> points = new ArrayList<>();
            for (Row row :
                    session.execute(
                            direct.bind(
                                    key,
                                    DAY_START_MICROS,
                                    DAY_START_MICROS + 1_440 * MINUTE_MICROS))) {
                points.add(new double[] {row.getLong(0), row.getDouble(1)});
            }
            rows += points.size();
        }
        return rows;
    }

    private static void report(
            int seriesCount, long points, int renders, long[] renderNanos, long[] directNanos) {
        Arrays.sort(renderNanos);
        Arrays.sort(directNanos);
        double renderP50 = millis(percentile(renderNanos, 0.50));
        double renderP99 = millis(percentile(renderNanos, 0.99));
        double directP50 = millis(percentile(directNanos, 0.50));
        double directP99 = millis(percentile(directNanos, 0.99));
        System.out.printf(
                Locale.ROOT,
                "%n%d series x 1,440 1m buckets = %,d points per render, %d renders each:%n%n",
                seriesCount,
                points,
                renders);
        System.out.println("| read | p50 ms | p99 ms | p50 vs. driver |");
        System.out.println("| --- | ---: | ---: | ---: |");
        System.out.printf(
                Locale.ROOT,
                "| driver, one query per series, rows into memory | %.1f | %.1f | 1.00 |%n",
                directP50,
                directP99);
        System.out.printf(
                Locale.ROOT,
                "| query service /render, JSON over HTTP | %.1f | %.1f | %.2f |%n",
                renderP50,
                renderP99,
                renderP50 / directP50);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
