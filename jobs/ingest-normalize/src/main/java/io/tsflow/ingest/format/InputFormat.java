package io.tsflow.ingest.format;

import java.util.Locale;
import java.util.Optional;

/**
 * The input formats of topic {@code raw}; the {@code tsflow.format} header uses these names in
 * lower case.
 */
public enum InputFormat {
    JSON,
    AVRO,
    GRAPHITE,
    INFLUX;

    public static Optional<InputFormat> fromHeader(String header) {
        try {
            return Optional.of(valueOf(header.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String headerValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
