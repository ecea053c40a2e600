package io.tsflow.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the API answers: a handler's {@link BadQueryException} becomes 400 with {@code {"error":
 * "..."}}, anything else 500 (logged, its details not sent).
 */
final class JsonResponses {

    private static final Logger LOG = LoggerFactory.getLogger(JsonResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

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
                handler.handle(
                        exchange, new QueryParameters(exchange.getRequestURI().getRawQuery()));
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
