package io.tsflow.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration notation used throughout the configuration: a whole number and a unit, {@code
 * 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 30d}, {@code 2w}; ISO-8601 ({@code PT10S}) is
 * accepted too.
 */
public final class DurationParser {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

    private DurationParser() {}

    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                case "w" -> Duration.ofDays(7 * amount);
                default -> throw new IllegalStateException(matcher.group(2));
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "not a duration: '"
                            + text
                            + "' (expected for example 500ms, 10s, 5m, 2h, 30d)");
        }
    }
}
