package io.tsflow.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.query.QueryConfig;
import io.tsflow.query.QueryServer;
import io.tsflow.storage.raw.StorageSettings;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what ingest and rollup stored back through the query service's API, as the read-only role,
 * and compares it with the points sent and {@link ExpectedRollups}: one gateway's eight rooms found
 * by tags, their raw points when they fit the budget, and their 1m means when they do not.
 */
final class QueryReadBack {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryReadBack() {}

    static void assertReadsBack(
            JobChain suite,
            Map<GatewayBacklog.Series, TreeMap<Long, Double>> points,
            Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> expected)
            throws Exception {
        String contact = LocalServers.get().cassandraContact();
        QueryConfig config =
                new QueryConfig(
                        CassandraSettings.local(contact, suite.keyspace),
                        StorageSettings.defaults(),
                        List.of("1m", "1h", "1d"),
                        "127.0.0.1",
                        0,
                        100,
                        null,
                        null,
                        null);
        try (CqlSession reader = TestCassandra.readerSession(contact);
                QueryServer server = QueryServer.of(config, reader)) {
            server.start();
            String target =
                    URLEncoder.encode(
                            "seriesByTag('name=building.temperature','gateway=g1')",
                            StandardCharsets.UTF_8);
            String range =
                    "&from="
                            + GatewayBacklog.START.getEpochSecond()
                            + "&until="
                            + GatewayBacklog.END.getEpochSecond();
            String base = "http://127.0.0.1:" + server.port() + "/render?target=" + target + range;

            // 900 points a room fit a budget of 1,000: raw.
            JsonNode raw = get(base + "&maxDataPoints=1000");
            assertThat(raw).hasSize(8);
            for (JsonNode series : raw) {
                assertThat(series.get("level").asText()).isEqualTo("raw");
                TreeMap<Long, Double> sent = sent(points, series);
                List<Double> values = new ArrayList<>();
                series.get("datapoints").forEach(point -> values.add(point.get(0).asDouble()));
                assertThat(values)
                        .as(series.get("target").asText())
                        .containsExactlyElementsOf(sent.values());
            }

            // They do not fit 500: the 300 minutes do, each the mean of its points.
            JsonNode minutes = get(base + "&maxDataPoints=500");
            assertThat(minutes).hasSize(8);
            for (JsonNode series : minutes) {
                assertThat(series.get("level").asText()).isEqualTo("1m");
                Map<String, String> tags = tags(series);
                String id = ExpectedRollups.seriesId("building.temperature", tags);
                assertThat(series.get("datapoints")).hasSize(300);
                for (JsonNode point : series.get("datapoints")) {
                    ExpectedRollups.Stats stats =
                            expected.get(
                                    new ExpectedRollups.BucketKey(
                                            id, "1m", point.get(1).asLong() * 1_000_000L));
                    assertThat(stats).as(id + " at " + point.get(1)).isNotNull();
                    assertThat(point.get(0).asDouble())
                            .isCloseTo(
                                    stats.sum() / stats.count(),
                                    org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }

    private static TreeMap<Long, Double> sent(
            Map<GatewayBacklog.Series, TreeMap<Long, Double>> points, JsonNode series) {
        Map<String, String> tags = tags(series);
        for (Map.Entry<GatewayBacklog.Series, TreeMap<Long, Double>> one : points.entrySet()) {
            if (one.getKey().metric().equals("building.temperature")
                    && one.getKey().tags().equals(tags)) {
                assertThat(series.get("target").asText())
                        .isEqualTo(SeriesKey.of("building.temperature", new TreeMap<>(tags)));
                return one.getValue();
            }
        }
        throw new AssertionError("no series sent with tags " + tags);
    }

    private static Map<String, String> tags(JsonNode series) {
        Map<String, String> tags = new TreeMap<>();
        series.get("tags")
                .fields()
                .forEachRemaining(
                        tag -> {
                            if (!tag.getKey().equals("name")) {
                                tags.put(tag.getKey(), tag.getValue().asText());
                            }
                        });
        return tags;
    }

    private static JsonNode get(String uri) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(uri)).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
