package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.cassandra.CqlSessions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service's HTTP server, compatible with Graphite's render API: {@code
 * /render?target=seriesByTag(...)&from=&until=&format=json|csv&maxDataPoints=}, plus tsflow's
 * {@code level} (raw or a rollup interval, to force one) and {@code aggregate} (mean, min, max,
 * sum, count, rate). A bad query is answered 400 with {@code {"error": "..."}}.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueryService service;
    private final HttpServer http;

    public QueryServer(QueryService service, String host, int port) throws IOException {
        this.service = service;
        this.http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.createContext("/render", this::render);
        http.setExecutor(Executors.newFixedThreadPool(4));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: QueryServer --config FILE");
            System.exit(2);
        }
        QueryConfig config = ConfigLoader.load(Path.of(args[1]), QueryConfig.class);
        CqlSession session =
                CqlSessions.open(config.cassandra(), QueryServer.class.getClassLoader());
        QueryServer server =
                new QueryServer(service(config, session), config.host(), config.port());
        server.start();
        LOG.info(
                "Query service on http://{}:{}/ reading keyspace {}",
                config.host(),
                server.port(),
                config.cassandra().keyspace());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    session.close();
                                }));
    }

    /** The service over {@code session} as {@code config} says. */
    public static QueryService service(QueryConfig config, CqlSession session) {
        String keyspace = config.cassandra().keyspace();
        boolean daily = config.storage().shard().equals("day");
        return new QueryService(
                new SeriesFinder(session, keyspace, daily),
                new PointReader(session, keyspace, daily),
                config.levels(),
                config.limits());
    }

    public void start() {
        http.start();
    }

    /** The port listened on (the one chosen when 0 was asked for). */
    public int port() {
        return http.getAddress().getPort();
    }

    private void render(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
            String format = query.getOrDefault("format", "json");
            if (!format.equals("json") && !format.equals("csv")) {
                throw new BadQueryException("format: json or csv");
            }
            long now = System.currentTimeMillis();
            String target = query.get("target");
            if (target == null) {
                throw new BadQueryException("target: required");
            }
            QueryService.Request request =
                    new QueryService.Request(
                            RenderTarget.parse(target),
                            new TimeRange(
                                    GraphiteTime.parseMicros(
                                            query.getOrDefault("from", "-24h"), now),
                                    GraphiteTime.parseMicros(
                                            query.getOrDefault("until", "now"), now)),
                            positive(
                                    query.getOrDefault("maxDataPoints", "100000"), "maxDataPoints"),
                            level(query.get("level")),
                            Aggregate.parse(query.getOrDefault("aggregate", "mean")));
            List<RenderedSeries> series = service.render(request);
            boolean csv = format.equals("csv");
            exchange.getResponseHeaders()
                    .set("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                if (csv) {
                    GraphiteFormats.csv(series, out);
                } else {
                    GraphiteFormats.json(series, out);
                }
            }
        } catch (BadQueryException e) {
            error(exchange, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Query {} failed", exchange.getRequestURI(), e);
            error(exchange, 500, "the query failed: " + e.getClass().getSimpleName());
        } finally {
            exchange.close();
        }
    }

    private static Level level(String name) {
        if (name == null) {
            return null;
        }
        return name.equals("raw") ? Level.RAW : Level.rollup(name);
    }

    private static int positive(String text, String name) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadQueryException(name + ": a positive integer");
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int at = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            at < 0 ? pair : pair.substring(0, at), StandardCharsets.UTF_8);
            String value =
                    at < 0 ? "" : URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8);
            parameters.put(key, value);
        }
        return parameters;
    }

    private static void error(HttpExchange exchange, int status, String message)
            throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
