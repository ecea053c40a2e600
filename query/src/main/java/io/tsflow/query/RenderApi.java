package io.tsflow.query;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /render?target=...&from=&until=&format=json|csv&maxDataPoints=}: targets as {@link
 * TargetEvaluator} reads them, several allowed, plus tsflow's {@code level} (raw or a rollup
 * interval, to force one) and {@code aggregate} (mean, min, max, sum, count, rate).
 */
final class RenderApi implements JsonResponses.Handler {

    private final QueryService service;
    private final ActiveAlerts alerts;

    /** {@code alerts} may be null: no alert state in the responses. */
    RenderApi(QueryService service, ActiveAlerts alerts) {
        this.service = service;
        this.alerts = alerts;
    }

    @Override
    public void handle(HttpExchange exchange, QueryParameters query) throws IOException {
        String format = query.get("format", "json");
        if (!format.equals("json") && !format.equals("csv")) {
            throw new BadQueryException("format: json or csv");
        }
        List<String> targets = query.all("target");
        if (targets.isEmpty()) {
            throw new BadQueryException("target: required");
        }
        TimeRange range = query.range("-24h", System.currentTimeMillis());
        int maxDataPoints = query.positive("maxDataPoints", 100_000);
        String levelName = query.get("level", null);
        Level level =
                levelName == null
                        ? null
                        : levelName.equals("raw") ? Level.RAW : Level.rollup(levelName);
        Aggregate aggregate = Aggregate.parse(query.get("aggregate", "mean"));
        TargetEvaluator evaluator =
                new TargetEvaluator(
                        matchers ->
                                service.render(
                                        new QueryService.Request(
                                                matchers, range, maxDataPoints, level, aggregate)));
        List<RenderedSeries> series = new ArrayList<>();
        for (String target : targets) {
            series.addAll(evaluator.evaluate(target));
        }
        boolean csv = format.equals("csv");
        exchange.getResponseHeaders()
                .set("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            if (csv) {
                GraphiteFormats.csv(series, out);
            } else {
                GraphiteFormats.json(series, alerts == null ? null : alerts.bySeries(), out);
            }
        }
    }
}
