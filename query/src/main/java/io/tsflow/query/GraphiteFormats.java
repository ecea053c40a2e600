package io.tsflow.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Graphite's render formats. JSON: {@code [{"target", "tags", "datapoints": [[value, unixSeconds],
 * ...]}]}, a missing value as null, plus {@code "level"} (raw or the rollup interval) and {@code
 * "alerts"} (firing now), which Graphite clients ignore. CSV: {@code target,YYYY-MM-DD
 * HH:MM:SS,value} per point, UTC.
 */
final class GraphiteFormats {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CSV_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private GraphiteFormats() {}

    /**
     * With {@code alerts} (by stored series; null when no Alertmanager is configured), each series
     * also lists the alerts firing for the series it comes from as {@code "alerts"}.
     */
    static void json(
            List<RenderedSeries> series,
            Map<String, List<ActiveAlerts.Alert>> alerts,
            OutputStream out)
            throws IOException {
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartArray();
            for (RenderedSeries one : series) {
                json.writeStartObject();
                json.writeStringField("target", one.target());
                json.writeObjectFieldStart("tags");
                for (Map.Entry<String, String> tag : one.tags().entrySet()) {
                    json.writeStringField(tag.getKey(), tag.getValue());
                }
                json.writeEndObject();
                json.writeStringField("level", one.level().name());
                if (alerts != null) {
                    json.writeArrayFieldStart("alerts");
                    for (String source : one.sources()) {
                        for (ActiveAlerts.Alert alert : alerts.getOrDefault(source, List.of())) {
                            json.writeStartObject();
                            json.writeStringField("series", source);
                            json.writeStringField("rule", alert.rule());
                            json.writeStringField("alertname", alert.alertname());
                            json.writeStringField("severity", alert.severity());
                            json.writeStringField("startsAt", alert.startsAt());
                            json.writeEndObject();
                        }
                    }
                    json.writeEndArray();
                }
                json.writeArrayFieldStart("datapoints");
                for (Point point : one.points()) {
                    json.writeStartArray();
                    if (Double.isFinite(point.value())) {
                        json.writeNumber(point.value());
                    } else {
                        json.writeNull();
                    }
                    json.writeNumber(Math.floorDiv(point.micros(), 1_000_000L));
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }

    static void csv(List<RenderedSeries> series, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (RenderedSeries one : series) {
            String target = quoted(one.target());
            for (Point point : one.points()) {
                writer.write(target);
                writer.write(',');
                writer.write(
                        CSV_TIME.format(
                                Instant.ofEpochSecond(Math.floorDiv(point.micros(), 1_000_000L))));
                writer.write(',');
                if (Double.isFinite(point.value())) {
                    writer.write(Double.toString(point.value()));
                }
                writer.write("\r\n");
            }
        }
        writer.flush();
    }

    /** A CSV field: series keys hold commas and quotes. */
    private static String quoted(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
