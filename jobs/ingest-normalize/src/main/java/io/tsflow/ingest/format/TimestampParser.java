package io.tsflow.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsflow.common.RejectReason;
import io.tsflow.common.types.InvalidValueException;
import io.tsflow.ingest.config.TimestampRules;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
                        + abbreviate(node.toString()));
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
        try {
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(
                            text, OffsetDateTime::from, LocalDateTime::from);
            Instant instant =
                    parsed instanceof OffsetDateTime offset
                            ? offset.toInstant()
                            : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return Math.addExact(
                    Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    instant.getNano() / 1_000);
        } catch (DateTimeException | ArithmeticException e) {
            throw invalid("timestamp '" + abbreviate(text) + "' is not ISO-8601 date-time");
        }
    }

    private static InvalidValueException invalid(String message) {
        return new InvalidValueException(RejectReason.INVALID_TIMESTAMP, message);
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
