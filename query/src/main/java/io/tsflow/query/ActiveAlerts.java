package io.tsflow.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts firing now, by the stored series they concern, read from Alertmanager's API ({@code
 * GET /api/v2/alerts}, silenced and inhibited ones included). The alerts job names the series in
 * each alert's {@code generatorURL} ({@code ...?rule=...&series=...}); alerts from other sources
 * are left out. An unreachable Alertmanager gives no alerts and a warning, not a failed query.
 */
final class ActiveAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveAlerts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One firing alert of a series. */
    record Alert(String rule, String alertname, String severity, String startsAt) {}

    private final URI endpoint;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ActiveAlerts(String alertmanagerUrl) {
        String base =
                alertmanagerUrl.endsWith("/")
                        ? alertmanagerUrl.substring(0, alertmanagerUrl.length() - 1)
                        : alertmanagerUrl;
        this.endpoint = URI.create(base + "/api/v2/alerts?active=true");
    }

    Map<String, List<Alert>> bySeries() {
        Map<String, List<Alert>> alerts = new HashMap<>();
        JsonNode body;
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("Alertmanager {} answered {}", endpoint, response.statusCode());
                return alerts;
            }
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            LOG.warn("Alertmanager {} unreachable: {}", endpoint, e.toString());
            return alerts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return alerts;
        }
        for (JsonNode alert : body) {
            String series = seriesOf(alert.path("generatorURL").asText(""));
            if (series == null || !alert.at("/status/state").asText("active").equals("active")) {
                continue;
            }
            JsonNode labels = alert.path("labels");
            alerts.computeIfAbsent(series, key -> new ArrayList<>())
                    .add(
                            new Alert(
                                    labels.path("rule").asText(""),
                                    labels.path("alertname").asText(""),
                                    labels.path("severity").asText(""),
                                    alert.path("startsAt").asText("")));
        }
        return alerts;
    }

    /** The {@code series} parameter of a generator URL, or null. */
    static String seriesOf(String generatorUrl) {
        int query = generatorUrl.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : generatorUrl.substring(query + 1).split("&")) {
            if (pair.startsWith("series=")) {
                return URLDecoder.decode(
                        pair.substring("series=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
