package io.tsflow.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the API answers: a handler's {@link BadQueryException} becomes 400 with {@code {"error":
 * "..."}}, anything else 500 (logged, its details not sent). Parameters come from the query string
 * and, for a form POST (as Grafana sends {@code /render}), from the body.
 */
final class JsonResponses {

    private static final Logger LOG = LoggerFactory.getLogger(JsonResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A form body longer than this is cut: no query needs more. */
    private static final int MAX_FORM_BYTES = 1 << 20;

    /** A handler that may throw {@link BadQueryException}. */
    interface Handler {
        void handle(HttpExchange exchange, QueryParameters parameters) throws IOException;
    }

    private JsonResponses() {}

    static HttpHandler guarded(Handler handler) {
        return exchange -> {
            try {
                if (!exchange.getRequestMethod().equals("GET")
                        && !exchange.getRequestMethod().equals("POST")) {
                    throw new BadQueryException("GET or POST only");
                }
                QueryParameters parameters =
                        new QueryParameters(exchange.getRequestURI().getRawQuery());
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (exchange.getRequestMethod().equals("POST")
                        && type != null
                        && type.startsWith("application/x-www-form-urlencoded")) {
                    parameters.add(
                            new String(
                                    exchange.getRequestBody().readNBytes(MAX_FORM_BYTES),
                                    StandardCharsets.UTF_8));
                }
                handler.handle(exchange, parameters);
            } catch (BadQueryException e) {
                send(exchange, 400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("Query {} failed", exchange.getRequestURI(), e);
                send(
                        exchange,
                        500,
                        Map.of("error", "the query failed: " + e.getClass().getSimpleName()));
            } finally {
                exchange.close();
            }
        };
    }

    static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
