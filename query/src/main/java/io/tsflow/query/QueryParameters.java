package io.tsflow.query;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A request's query string: each parameter with all its values, in order. */
final class QueryParameters {

    private final Map<String, List<String>> values = new HashMap<>();

    QueryParameters(String rawQuery) {
        add(rawQuery);
    }

    /**
     * Adds the parameters of {@code encoded} ({@code a=1&b=2}, URL-encoded): a query string, or the
     * body of a form POST, as Grafana sends {@code /render}.
     */
    void add(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int at = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            at < 0 ? pair : pair.substring(0, at), StandardCharsets.UTF_8);
            String value =
                    at < 0 ? "" : URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The last value given, or {@code fallback}. */
    String get(String name, String fallback) {
        List<String> given = all(name);
        return given.isEmpty() ? fallback : given.get(given.size() - 1);
    }

    int positive(String name, int fallback) {
        String text = get(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadQueryException(name + ": a positive integer");
    }

    /** {@code from} and {@code until} as Graphite reads them, with the given defaults. */
    TimeRange range(String defaultFrom, long nowMillis) {
        return new TimeRange(
                GraphiteTime.parseMicros(get("from", defaultFrom), nowMillis),
                GraphiteTime.parseMicros(get("until", "now"), nowMillis));
    }
}
