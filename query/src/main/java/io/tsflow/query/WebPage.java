package io.tsflow.query;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The page at {@code /}: {@code index.html} and its files under {@code /web/}, served from the jar
 * (the charting library, uPlot, is copied in from the npm registry at build time: nothing comes
 * from a CDN at run time).
 */
final class WebPage {

    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8");

    private WebPage() {}

    static void serve(HttpExchange exchange, QueryParameters ignored) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String resource = path.equals("/") ? "web/index.html" : path.substring(1);
        if (!resource.startsWith("web/") || resource.contains("..")) {
            notFound(exchange);
            return;
        }
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                notFound(exchange);
                return;
            }
            byte[] body = in.readAllBytes();
            String extension = resource.substring(resource.lastIndexOf('.') + 1);
            exchange.getResponseHeaders()
                    .set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        JsonResponses.send(exchange, 404, Map.of("error", "no such page"));
    }
}
