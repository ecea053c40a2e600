package io.tsflow.alerts.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The body of {@code POST /api/v2/alerts}: a JSON array of alerts with labels, annotations,
 * startsAt, endsAt and generatorURL. A firing alert is announced as ending {@code activeFor} after
 * it is sent (renewed by each re-send); a resolved one carries its real end.
 */
final class AlertmanagerPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerPayload() {}

    static byte[] of(
            Collection<Alert> alerts, long nowMillis, long activeForMillis, String generatorUrl) {
        ArrayNode body = JSON.createArrayNode();
        for (Alert alert : alerts) {
            ObjectNode item = body.addObject();
            ObjectNode labels = item.putObject("labels");
            for (Map.Entry<String, String> label : alert.getLabels().entrySet()) {
                labels.put(label.getKey(), label.getValue());
            }
            ObjectNode annotations = item.putObject("annotations");
            for (Map.Entry<String, String> annotation : alert.getAnnotations().entrySet()) {
                annotations.put(annotation.getKey(), annotation.getValue());
            }
            item.put("startsAt", Instant.ofEpochMilli(alert.getStartsAtMillis()).toString());
            long endsAt =
                    alert.getStatus() == AlertStatus.RESOLVED && alert.getEndsAtMillis() != null
                            ? alert.getEndsAtMillis()
                            : nowMillis + activeForMillis;
            item.put("endsAt", Instant.ofEpochMilli(endsAt).toString());
            item.put(
                    "generatorURL",
                    generatorUrl
                            + (generatorUrl.contains("?") ? "&" : "?")
                            + "rule="
                            + URLEncoder.encode(alert.getRule(), StandardCharsets.UTF_8)
                            + "&series="
                            + URLEncoder.encode(alert.getSeriesKey(), StandardCharsets.UTF_8));
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("alerts always serialize", e);
        }
    }
}
