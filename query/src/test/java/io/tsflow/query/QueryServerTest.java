package io.tsflow.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.raw.RawTable;
import io.tsflow.connectors.cassandra.raw.StorageSettings;
import io.tsflow.rollup.RollupJob;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query service over HTTP against the real Cassandra node, reading rows laid out as the jobs
 * write them: three rooms' raw points every 30 s from 23:00 on 31 October to 01:00 on 1 November
 * (two month shards), and their 1m and 1h rollups.
 */
class QueryServerTest {

    private static final String KEYSPACE = TestCassandra.uniqueKeyspace("query");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = Instant.parse("2026-10-31T23:00:00Z").getEpochSecond();
    private static final long END = START + 7_200;
    private static final String WHOLE_RANGE = "&from=" + START + "&until=" + END;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static CqlSession session;
    private static QueryServer server;

    @BeforeAll
    static void storeAndServe() throws Exception {
        CassandraSettings cassandra =
                CassandraSettings.local(LocalServers.get().cassandraContact(), KEYSPACE);
        RawTable.applySchema(cassandra);
        RollupJob.applySchema(cassandra);
        session = TestCassandra.session(LocalServers.get().cassandraContact());
        for (int room = 1; room <= 3; room++) {
            store(room);
        }
        QueryConfig config =
                new QueryConfig(
                        cassandra,
                        StorageSettings.defaults(),
                        List.of("1m", "1h"),
                        null,
                        0,
                        2,
                        null);
        server = new QueryServer(QueryServer.service(config, session), "127.0.0.1", 0);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    private static String key(int room) {
        return SeriesKey.of("room.temperature", new TreeMap<>(Map.of("room", "r" + room)));
    }

    /** Room n reads n + (seconds since START) / 3600 degrees. */
    private static double celsius(int room, long second) {
        return room + (second - START) / 3600.0;
    }

    private static void store(int room) {
        String series = key(room);
        Map<String, String> tags = Map.of("room", "r" + room);
        PreparedStatement point =
                session.prepare(
                        "INSERT INTO "
                                + KEYSPACE
                                + ".observations_raw (series_key, shard, ts_micros, metric, tagset,"
                                + " type, value_double) VALUES (?, ?, ?, 'room.temperature', ?,"
                                + " 'tdouble', ?)");
        for (long second = START; second < END; second += 30) {
            session.execute(
                    point.bind(
                            series,
                            shard(second),
                            second * 1_000_000L,
                            tags,
                            celsius(room, second)));
        }
        for (String shard : List.of("2026-10", "2026-11")) {
            session.execute(
                    "INSERT INTO "
                            + KEYSPACE
                            + ".series (metric, shard, series_key, tagset, type) VALUES"
                            + " ('room.temperature', ?, ?, ?, 'tdouble')",
                    shard,
                    series,
                    tags);
            session.execute(
                    "INSERT INTO "
                            + KEYSPACE
                            + ".series_by_tag (tag_key, tag_value, shard, series_key, metric)"
                            + " VALUES ('room', ?, ?, ?, 'room.temperature')",
                    "r" + room,
                    shard,
                    series);
        }
        storeBuckets(series, room, "1h", 3_600);
        storeBuckets(series, room, "1m", 60);
    }

    /** The buckets of {@code interval} ({@code seconds} long) over the raw points above. */
    private static void storeBuckets(String series, int room, String interval, long seconds) {
        PreparedStatement bucket =
                session.prepare(
                        "INSERT INTO "
                                + KEYSPACE
                                + ".rollups (series_key, interval, shard, bucket_start_micros,"
                                + " count, min, max, mean) VALUES (?, ?, '2026', ?, ?, ?, ?, ?)");
        for (long start = START; start < END; start += seconds) {
            double first = celsius(room, start);
            double last = celsius(room, start + seconds - 30);
            session.execute(
                    bucket.bind(
                            series,
                            interval,
                            start * 1_000_000L,
                            seconds / 30,
                            first,
                            last,
                            (first + last) / 2));
        }
    }

    private static String shard(long second) {
        return second < Instant.parse("2026-11-01T00:00:00Z").getEpochSecond()
                ? "2026-10"
                : "2026-11";
    }

    private static HttpResponse<String> get(String parameters) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + server.port()
                                                + "/render?"
                                                + parameters))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String target(String... terms) {
        List<String> quoted = new ArrayList<>();
        for (String term : terms) {
            quoted.add("'" + term + "'");
        }
        return "target="
                + URLEncoder.encode(
                        "seriesByTag(" + String.join(",", quoted) + ")", StandardCharsets.UTF_8);
    }

    private static JsonNode render(String parameters) throws Exception {
        HttpResponse<String> response = get(parameters);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void rawPointsAcrossTwoMonthShardsWhenTheyFitTheBudget() throws Exception {
        JsonNode series =
                render(
                        target("name=room.temperature", "room=~r[12]")
                                + WHOLE_RANGE
                                + "&maxDataPoints=1000");
        assertThat(series).hasSize(2);
        JsonNode r1 = series.get(0);
        assertThat(r1.get("target").asText()).isEqualTo(key(1));
        assertThat(r1.get("tags").get("name").asText()).isEqualTo("room.temperature");
        assertThat(r1.get("tags").get("room").asText()).isEqualTo("r1");
        assertThat(r1.get("level").asText()).isEqualTo("raw");
        JsonNode points = r1.get("datapoints");
        assertThat(points).hasSize(240);
        assertThat(points.get(0).get(1).asLong()).isEqualTo(START);
        assertThat(points.get(0).get(0).asDouble()).isEqualTo(1.0);
        assertThat(points.get(239).get(1).asLong()).isEqualTo(END - 30);
        assertThat(points.get(120).get(0).asDouble()).isEqualTo(celsius(1, START + 3_600));
        assertThat(series.get(1).get("tags").get("room").asText()).isEqualTo("r2");
    }

    @Test
    void theFinestRollupThatFitsWhenRawDoesNot() throws Exception {
        // 240 raw points and 120 minutes exceed 100: the hours fit.
        JsonNode series =
                render(target("room=r3") + WHOLE_RANGE + "&maxDataPoints=100&aggregate=max");
        assertThat(series).hasSize(1);
        assertThat(series.get(0).get("level").asText()).isEqualTo("1h");
        JsonNode points = series.get(0).get("datapoints");
        assertThat(points).hasSize(2);
        assertThat(points.get(1).get(1).asLong()).isEqualTo(START + 3_600);
        assertThat(points.get(1).get(0).asDouble()).isEqualTo(celsius(3, START + 3_600 + 3_570));

        // 200 fits the minutes.
        JsonNode minutes = render(target("room=r3") + WHOLE_RANGE + "&maxDataPoints=200");
        assertThat(minutes.get(0).get("level").asText()).isEqualTo("1m");
        assertThat(minutes.get(0).get("datapoints")).hasSize(120);

        // A forced level wins over the budget.
        JsonNode forced = render(target("room=r3") + WHOLE_RANGE + "&level=1h");
        assertThat(forced.get(0).get("level").asText()).isEqualTo("1h");
    }

    @Test
    void csvHasOneLinePerPoint() throws Exception {
        HttpResponse<String> response =
                get(
                        target("name=room.temperature", "room=r1")
                                + "&from="
                                + START
                                + "&until="
                                + (START + 60)
                                + "&format=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.body().split("\r\n"))
                .containsExactly(
                        "\"room.temperature{room=\"\"r1\"\"}\",2026-10-31 23:00:00,1.0",
                        "\"room.temperature{room=\"\"r1\"\"}\",2026-10-31 23:00:30,"
                                + celsius(1, START + 30));
    }

    @Test
    void badQueriesAreAnswered400WithTheReason() throws Exception {
        Map<String, String> expectations =
                Map.of(
                        "target=room.temperature",
                        "seriesByTag",
                        target("room!=r1"),
                        "at least one tag=value",
                        target("name=room.temperature", "room=~["),
                        "bad regular expression",
                        target("name=room.temperature"),
                        "more than 2 series",
                        target("room=r1") + "&level=5m",
                        "no rollup level '5m'",
                        target("room=r1") + "&from=yesterday",
                        "cannot read time",
                        target("room=r1") + "&from=now&until=-1h",
                        "the range is empty",
                        target("room=r1") + "&aggregate=median",
                        "unknown aggregate",
                        target("room=r1") + "&format=xml",
                        "format");
        for (Map.Entry<String, String> expectation : expectations.entrySet()) {
            HttpResponse<String> response = get(expectation.getKey());
            assertThat(response.statusCode()).as(expectation.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .as(expectation.getKey())
                    .contains(expectation.getValue());
        }
    }
}
