package io.tsflow.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times of Graphite's {@code from} and {@code until}: {@code now}, a time relative to now
 * ({@code -6h}, {@code -30min}, {@code -7d}; units s, min, h, d, w, mon (30 days), y (365 days)),
 * Unix seconds, or an ISO-8601 instant.
 */
final class GraphiteTime {

    private static final Pattern RELATIVE =
            Pattern.compile(
                    "([-+]?)(\\d+)(s|sec|seconds?|min|minutes?|h|hours?|d|days?|w|weeks?"
                            + "|mon|months?|y|years?|m)");

    private GraphiteTime() {}

    /** {@code text} in microseconds since the epoch, {@code nowMillis} being now. */
    static long parseMicros(String text, long nowMillis) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("now")) {
            return nowMillis * 1000;
        }
        if (value.matches("\\d+")) {
            return Math.multiplyExact(Long.parseLong(value), 1_000_000L);
        }
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long seconds =
                    Math.multiplyExact(
                            Long.parseLong(relative.group(2)), unitSeconds(relative.group(3)));
            long sign = relative.group(1).equals("+") ? 1 : -1;
            return Math.addExact(nowMillis * 1000, sign * seconds * 1_000_000L);
        }
        try {
            Instant instant = Instant.parse(text.trim());
            return Math.addExact(
                    Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    instant.getNano() / 1000);
        } catch (DateTimeParseException e) {
            throw new BadQueryException(
                    "cannot read time '" + text + "': use now, -6h, Unix seconds or ISO-8601");
        }
    }

    /** An interval such as {@code 5min}, {@code 1h} or {@code 1d} (as {@code summarize} takes). */
    static long intervalMicros(String text) {
        Matcher interval = RELATIVE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!interval.matches() || !interval.group(1).isEmpty()) {
            throw new BadQueryException(
                    "not an interval: '" + text + "' (for example 30s, 5min, 1h, 1d, 1w)");
        }
        long seconds = Long.parseLong(interval.group(2)) * unitSeconds(interval.group(3));
        if (seconds <= 0) {
            throw new BadQueryException("the interval '" + text + "' must be positive");
        }
        return Math.multiplyExact(seconds, 1_000_000L);
    }

    private static long unitSeconds(String unit) {
        if (unit.equals("m")) {
            return 60;
        }
        if (unit.startsWith("mon")) {
            return 30 * 86_400L;
        }
        if (unit.startsWith("min")) {
            return 60;
        }
        return switch (unit.charAt(0)) {
            case 's' -> 1;
            case 'h' -> 3_600;
            case 'd' -> 86_400;
            case 'w' -> 7 * 86_400L;
            default -> 365 * 86_400L; // y
        };
    }
}
