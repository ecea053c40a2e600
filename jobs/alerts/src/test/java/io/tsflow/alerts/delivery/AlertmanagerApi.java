package io.tsflow.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the active alerts back from a real Alertmanager ({@code GET /api/v2/alerts}). */
public final class AlertmanagerApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertmanagerApi() {}

    /** The active alerts whose label {@code label} equals {@code value}. */
    public static List<JsonNode> activeAlerts(String baseUrl, String label, String value) {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/alerts"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            List<JsonNode> matching = new ArrayList<>();
            for (JsonNode alert : JSON.readTree(response.body())) {
                if (value.equals(alert.path("labels").path(label).asText(null))) {
                    matching.add(alert);
                }
            }
            return matching;
        } catch (IOException e) {
            throw new IllegalStateException("Alertmanager at " + baseUrl + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
