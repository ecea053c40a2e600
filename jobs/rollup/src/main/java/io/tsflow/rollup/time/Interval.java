package io.tsflow.rollup.time;

import java.io.Serializable;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rollup interval: {@code Ns}, {@code Nm} or {@code Nh} (a fixed length that divides a day),
 * {@code 1d}, {@code 1w} or {@code 1mo} (calendar units that follow a series' time zone).
 */
public record Interval(String name, Unit unit, long amount)
        implements Serializable, Comparable<Interval> {

    /** The kinds of interval. */
    public enum Unit {
        SECOND,
        MINUTE,
        HOUR,
        DAY,
        WEEK,
        MONTH
    }

    private static final Pattern SYNTAX = Pattern.compile("(\\d+)(s|m|h|d|w|mo)");

    public static Interval parse(String text) {
        Matcher matcher = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "not an interval: '"
                            + text
                            + "' (expected for example 10s, 1m, 5m, 1h, 1d, 1w, 1mo)");
        }
        long amount = Long.parseLong(matcher.group(1));
        Unit unit =
                switch (matcher.group(2)) {
                    case "s" -> Unit.SECOND;
                    case "m" -> Unit.MINUTE;
                    case "h" -> Unit.HOUR;
                    case "d" -> Unit.DAY;
                    case "w" -> Unit.WEEK;
                    default -> Unit.MONTH;
                };
        Interval interval = new Interval(amount + matcher.group(2), unit, amount);
        if (interval.isFixed()) {
            long seconds = interval.fixedLength().getSeconds();
            if (amount < 1 || 86_400 % seconds != 0) {
                throw new IllegalArgumentException(
                        "interval "
                                + text
                                + " must divide a day evenly (10s, 1m, 5m, 15m, 1h, 6h, ...)");
            }
        } else if (amount != 1) {
            throw new IllegalArgumentException(
                    "calendar interval " + text + " must be 1d, 1w or 1mo");
        }
        return interval;
    }

    /**
     * Seconds, minutes and hours have a fixed length; days, weeks and months depend on the zone.
     */
    public boolean isFixed() {
        return unit == Unit.SECOND || unit == Unit.MINUTE || unit == Unit.HOUR;
    }

    public Duration fixedLength() {
        return Duration.ofSeconds(fixedSeconds());
    }

    /** {@link #fixedLength()} in seconds, without a {@code Duration}: every point asks for it. */
    public long fixedSeconds() {
        if (!isFixed()) {
            throw new IllegalStateException(name + " has no fixed length");
        }
        return switch (unit) {
            case SECOND -> amount;
            case MINUTE -> amount * 60;
            default -> amount * 3600;
        };
    }

    /**
     * The nominal length, for ordering intervals and sizing lateness: a month counts as 31 days.
     */
    public Duration nominalLength() {
        return switch (unit) {
            case SECOND, MINUTE, HOUR -> fixedLength();
            case DAY -> Duration.ofDays(1);
            case WEEK -> Duration.ofDays(7);
            case MONTH -> Duration.ofDays(31);
        };
    }

    @Override
    public int compareTo(Interval other) {
        return nominalLength().compareTo(other.nominalLength());
    }

    @Override
    public String toString() {
        return name;
    }
}
