package io.tsflow.local;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.connectors.cassandra.CqlSessions;
import io.tsflow.query.QueryConfig;
import io.tsflow.query.QueryServer;
import io.tsflow.query.TimeRange;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The query service beside the local run: started with the jobs (its address printed), and at the
 * end asked for the run's room temperatures, raw, through {@code /render}; each series it returns
 * must hold exactly the rows the raw table holds for it over the run.
 */
final class QueryCheck implements AutoCloseable {

    private static final String METRIC = "building.room.temperature";

    private final QueryConfig config;
    private final CqlSession session;
    private final QueryServer server;
    private final long startedMicros = System.currentTimeMillis() * 1000;

    QueryCheck(QueryConfig config) throws IOException {
        this.config = config;
        this.session = CqlSessions.open(config.cassandra(), QueryCheck.class.getClassLoader());
        this.server = QueryServer.of(config, session);
        server.start();
    }

    String url() {
        return "http://" + config.host() + ":" + server.port() + "/";
    }

    /** One summary line; true if every series read back equals the raw table. */
    boolean readBack() throws Exception {
        long from = startedMicros / 1_000_000 - 60;
        long until = System.currentTimeMillis() / 1000 + 60;
        String uri =
                url()
                        + "render?target="
                        + URLEncoder.encode(
                                "seriesByTag('name=" + METRIC + "')", StandardCharsets.UTF_8)
                        + "&from="
                        + from
                        + "&until="
                        + until
                        + "&level=raw";
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(uri)).build(),
                                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.out.println(
                    "  MISMATCH: the query service answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
            return false;
        }
        JsonNode series = new ObjectMapper().readTree(response.body());
        PreparedStatement count =
                session.prepare(
                        "SELECT count(*) FROM "
                                + config.cassandra().keyspace()
                                + ".observations_raw WHERE series_key = ? AND shard = ? AND"
                                + " ts_micros >= ? AND ts_micros < ?");
        long points = 0;
        int mismatches = 0;
        for (JsonNode one : series) {
            long stored = 0;
            for (String shard :
                    new TimeRange(from * 1_000_000, until * 1_000_000)
                            .rawShards(config.storage().shard().equals("day"))) {
                Row row =
                        session.execute(
                                        count.bind(
                                                one.get("target").asText(),
                                                shard,
                                                from * 1_000_000,
                                                until * 1_000_000))
                                .one();
                stored += row.getLong(0);
            }
            long read = one.get("datapoints").size();
            points += read;
            if (read != stored) {
                mismatches++;
            }
        }
        boolean ok = series.size() > 0 && mismatches == 0;
        System.out.printf(
                "  %s: the query service read back %,d series of %s (%,d raw points)%s%n",
                ok ? "OK" : "MISMATCH",
                series.size(),
                METRIC,
                points,
                ok ? ", each equal to the raw table" : ", " + mismatches + " unlike the raw table");
        return ok;
    }

    @Override
    public void close() {
        server.close();
        session.close();
    }
}
