package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.cassandra.CqlSessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service's HTTP server, compatible with Graphite's API for Grafana's Graphite data
 * source: {@code /render} ({@link RenderApi}), {@code /metrics/find} and the {@code /tags}
 * endpoints ({@link BrowseApi}), {@code /levels} (the rollup intervals), and the page at {@code /}
 * ({@link WebPage}). A bad query is answered 400 with {@code {"error": "..."}}.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);

    /** The Graphite version whose API this one follows. */
    static final String GRAPHITE_VERSION = "1.1.10";

    private final HttpServer http;
    private final Authenticator authenticator;

    public QueryServer(
            QueryService service,
            NameIndex names,
            ActiveAlerts alerts,
            ServerSecurity security,
            String host,
            int port)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (security.tls() != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls()));
            this.http = https;
        } else {
            this.http = HttpServer.create(address, 0);
        }
        this.authenticator = security.authenticator();
        BrowseApi browse = new BrowseApi(service, names);
        route("/render", new RenderApi(service, alerts));
        route("/metrics/find", browse::findMetrics);
        route("/tags/autoComplete/tags", browse::autoCompleteTags);
        route("/tags/autoComplete/values", browse::autoCompleteValues);
        route("/tags", browse::tags);
        route(
                "/levels",
                (exchange, query) -> JsonResponses.send(exchange, 200, service.levelNames()));
        // Grafana's Graphite data source asks for the version to choose its features.
        route(
                "/version",
                (exchange, query) -> {
                    byte[] version = GRAPHITE_VERSION.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, version.length);
                    try (var out = exchange.getResponseBody()) {
                        out.write(version);
                    }
                });
        route("/", WebPage::serve);
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
        QueryServer server = of(config, session);
        server.start();
        LOG.info(
                "Query service on {}://{}:{}/ reading keyspace {}",
                config.tlsKeystore() == null ? "http" : "https",
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

    /**
     * The server over {@code session} as {@code config} and the environment say (port 0: any free
     * port).
     */
    public static QueryServer of(QueryConfig config, CqlSession session) throws IOException {
        return of(config, session, ServerSecurity.of(config));
    }

    static QueryServer of(QueryConfig config, CqlSession session, ServerSecurity security)
            throws IOException {
        SeriesReaders readers = SeriesReaders.of(config, session);
        QueryService service =
                new QueryService(
                        readers.finder(), readers.points(), config.levels(), config.limits());
        return new QueryServer(
                service,
                new NameIndex(session, config.cassandra().keyspace(), config.dailyShards()),
                config.alertmanagerUrl() == null
                        ? null
                        : new ActiveAlerts(config.alertmanagerUrl()),
                security,
                config.host(),
                config.port());
    }

    /** Serves {@code path}, behind basic auth when it is on. */
    private void route(String path, JsonResponses.Handler handler) {
        HttpContext context = http.createContext(path, JsonResponses.guarded(handler));
        if (authenticator != null) {
            context.setAuthenticator(authenticator);
        }
    }

    public void start() {
        http.start();
    }

    /** The port listened on (the one chosen when 0 was asked for). */
    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
