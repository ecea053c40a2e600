package io.tsflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/** Asks Alertmanager how many alerts of the given rules it holds active, for the summary. */
final class AlertmanagerProbe {

    private AlertmanagerProbe() {}

    static String activeCount(String baseUrl, Set<String> rules) {
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            baseUrl.replaceAll("/+$", "")
                                                                    + "/api/v2/alerts?active=true"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            int active = 0;
            for (JsonNode alert : new ObjectMapper().readTree(response.body())) {
                if (rules.contains(alert.path("labels").path("rule").asText())) {
                    active++;
                }
            }
            return Integer.toString(active);
        } catch (Exception e) {
            return "unreachable";
        }
    }
}
