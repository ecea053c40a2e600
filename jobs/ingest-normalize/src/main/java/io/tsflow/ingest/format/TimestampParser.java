package io.tsflow.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.common.types.InvalidValueException;
import io.tsflow.ingest.config.TimestampRules;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * Reads point timestamps into microseconds since the epoch. ISO-8601 text without a zone is UTC (as
 * TSorage); with {@code Z} or an offset it is converted; digits beyond microseconds are truncated.
 * Numbers are epoch values in the configured unit and may carry a fraction.
 */
public final class TimestampParser {

    private final long microsPerUnit;

    public TimestampParser(String epochUnit) {
        this.microsPerUnit = TimestampRules.microsPerUnit(epochUnit);
    }

    public long parse(JsonNode node) throws InvalidValueException {
        if (node.isTextual()) {
            return parseIso(node.textValue());
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw invalid("timestamp " + node + " is out of range");
            }
            return fromEpoch(node.longValue(), microsPerUnit);
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw invalid("timestamp " + node + " is not finite");
            }
            double micros = microsPerUnit > 0 ? value * microsPerUnit : value / -microsPerUnit;
            if (Math.abs(micros) > 9.0e18) {
                throw invalid("timestamp " + node + " is out of range");
            }
            return (long) Math.floor(micros + 0.5);
        }
        throw invalid(
                "timestamp must be ISO-8601 text or an epoch number, got "
                        + Abbreviation.abbreviate(node.toString(), 80));
    }

    /**
     * Epoch value in a unit to micros; {@code microsPerUnit} negative means nanoseconds (divide).
     */
    public static long fromEpoch(long value, long microsPerUnit) throws InvalidValueException {
        if (microsPerUnit < 0) {
            return Math.floorDiv(value, -microsPerUnit);
        }
        try {
            return Math.multiplyExact(value, microsPerUnit);
        } catch (ArithmeticException e) {
            throw invalid("timestamp " + value + " is out of range");
        }
    }

    public static long parseIso(String text) throws InvalidValueException {
        if (text.length() > 64) {
            throw invalid("timestamp text is too long");
        }
        long fast = parseCommonIso(text);
        if (fast != NOT_COMMON) {
            return fast;
        }
        try {
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(
                            text, ZonedDateTime::from, LocalDateTime::from);
            Instant instant =
                    parsed instanceof ZonedDateTime zoned
                            ? zoned.toInstant()
                            : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return Math.addExact(
                    Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    instant.getNano() / 1_000);
        } catch (DateTimeException | ArithmeticException e) {
            throw invalid(
                    "timestamp '"
                            + Abbreviation.abbreviate(text, 80)
                            + "' is not ISO-8601 date-time");
        }
    }

    private static InvalidValueException invalid(String message) {
        return new InvalidValueException(RejectReason.INVALID_TIMESTAMP, message);
    }

    private static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The shapes gateways send nearly always, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|±HH:MM]}, read
     * without the general formatter (several times faster). Anything else, and any field out of
     * range, returns NOT_COMMON and goes through {@link DateTimeFormatter#ISO_DATE_TIME}, which
     * decides.
     */
    private static long parseCommonIso(String text) {
        int length = text.length();
        if (length < 19
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return NOT_COMMON;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_COMMON;
        }
        int position = 19;
        long micros = 0;
        if (position < length && text.charAt(position) == '.') {
            int start = ++position;
            while (position < length && Character.isDigit(text.charAt(position))) {
                position++;
            }
            int count = position - start;
            if (count < 1 || count > 9) {
                return NOT_COMMON;
            }
            for (int i = 0; i < 6; i++) {
                micros = micros * 10 + (i < count ? text.charAt(start + i) - '0' : 0);
            }
        }
        long offsetSeconds = 0;
        if (position < length) {
            char sign = text.charAt(position);
            if (sign == 'Z' && position + 1 == length) {
                offsetSeconds = 0;
            } else if ((sign == '+' || sign == '-')
                    && position + 6 == length
                    && text.charAt(position + 3) == ':') {
                int offsetHours = digits(text, position + 1, 2);
                int offsetMinutes = digits(text, position + 4, 2);
                if (offsetHours < 0
                        || offsetHours > 18
                        || offsetMinutes < 0
                        || offsetMinutes > 59) {
                    return NOT_COMMON;
                }
                offsetSeconds =
                        (sign == '-' ? -1 : 1) * (offsetHours * 3600L + offsetMinutes * 60L);
            } else {
                return NOT_COMMON;
            }
        }
        long epochSecond =
                java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L
                        + hour * 3600L
                        + minute * 60L
                        + second
                        - offsetSeconds;
        return epochSecond * 1_000_000L + micros;
    }

    /**
     * The decimal number in {@code text[from, from + count)}, or -1 if any character is not a
     * digit.
     */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
