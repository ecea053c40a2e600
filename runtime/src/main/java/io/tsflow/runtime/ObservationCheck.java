package io.tsflow.runtime;

import io.tsflow.common.RejectReason;
import io.tsflow.common.series.NameCharacters;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.common.text.Utf16;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Pos2d;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What a job reading topic {@code observations} checks of each decoded record before its operators
 * see it. Ingest writes only records that pass, but any producer with access to the topic can write
 * one that decodes and still breaks the assumptions operators are built on: a series key that does
 * not name the metric and tags, a value of another type than the one declared, a timestamp outside
 * years 1 to 9999 (where bucket arithmetic overflows).
 */
public final class ObservationCheck {

    /** 0001-01-01T00:00:00Z in microseconds. */
    static final long MIN_MICROS = -62_135_596_800_000_000L;

    /** 9999-12-31T23:59:59.999999Z in microseconds. */
    static final long MAX_MICROS = 253_402_300_799_999_999L;

    /** Why a record was refused. */
    public record Problem(RejectReason reason, String message) {}

    private ObservationCheck() {}

    /** Null when {@code point} is sound, else why not. */
    public static Problem check(Observation point) {
        String metric = point.getMetric();
        if (!NameCharacters.isMetricName(metric)) {
            return new Problem(RejectReason.INVALID_METRIC_NAME, "invalid metric name");
        }
        for (Map.Entry<String, String> tag : point.getTagset().entrySet()) {
            if (!NameCharacters.isTagKey(tag.getKey())) {
                return new Problem(RejectReason.INVALID_TAG_KEY, "invalid tag key");
            }
            if (tag.getValue() == null || !Utf16.isWellFormed(tag.getValue())) {
                return new Problem(RejectReason.INVALID_TAG_VALUE, "invalid tag value");
            }
        }
        if (!SeriesKey.isKeyOf(point.getSeriesKey(), metric, point.getTagset())) {
            return new Problem(
                    RejectReason.INVALID_SERIES_KEY,
                    "the series key is not the canonical key of the record's metric and tags");
        }
        long micros = point.getTimestampMicros();
        if (micros < MIN_MICROS || micros > MAX_MICROS) {
            return new Problem(
                    RejectReason.INVALID_TIMESTAMP,
                    "timestamp " + micros + " µs is outside years 1 to 9999");
        }
        return checkValue(point.getType(), point.getValue());
    }

    private static Problem checkValue(String type, Object value) {
        boolean fits =
                switch (type) {
                    case "tdouble" -> value instanceof Double;
                    case "tlong" -> value instanceof Long;
                    case "tbool" -> value instanceof Boolean;
                    case "ttext" -> value instanceof CharSequence;
                    case "tbinary" -> value instanceof ByteBuffer;
                    case "pos2d" -> value instanceof Pos2d;
                    default -> true; // a plugin type: its own job checks it
                };
        if (!fits) {
            return new Problem(
                    RejectReason.WRONG_VALUE_TYPE,
                    "a "
                            + (value == null ? "null" : value.getClass().getSimpleName())
                            + " value is not a "
                            + type);
        }
        if (value instanceof Double number && !Double.isFinite(number)) {
            return new Problem(RejectReason.NON_FINITE_VALUE, "value " + number + " is not finite");
        }
        if (value instanceof Pos2d position
                && !(Double.isFinite(position.getLatitude())
                        && Double.isFinite(position.getLongitude()))) {
            return new Problem(RejectReason.NON_FINITE_VALUE, "position is not finite");
        }
        if (value instanceof CharSequence text && !Utf16.isWellFormed(text)) {
            return new Problem(RejectReason.INVALID_TEXT, "text holds a lone UTF-16 surrogate");
        }
        return null;
    }
}
