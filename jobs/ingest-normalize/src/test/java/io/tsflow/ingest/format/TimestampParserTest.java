package io.tsflow.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.types.InvalidValueException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path must agree with java.time's ISO-8601 reading on every input, valid or not. */
class TimestampParserTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-11-22T08:00:00",
                "2025-11-22T08:00:00.1",
                "2025-11-22T08:00:00.123456",
                "2025-11-22T08:00:00.123456789",
                "2025-11-22T08:00:00Z",
                "2025-11-22T08:00:00.5+02:00",
                "2025-11-22T08:00:00-05:30",
                "2024-02-29T23:59:59.999999Z",
                "1970-01-01T00:00:00Z",
                "2025-11-22T08:00:00+14:00",
                "2025-11-22T08:00Z",
                "2025-11-22T08:00:00+01:00[Europe/Brussels]"
            })
    void agreesWithJavaTimeOnValidInput(String text) throws InvalidValueException {
        assertThat(TimestampParser.parseIso(text)).isEqualTo(reference(text));
    }

    @org.junit.jupiter.api.Test
    void anOffsetWithAZoneIdUsesTheOffset() throws InvalidValueException {
        assertThat(TimestampParser.parseIso("2025-11-22T08:00:00+01:00[Europe/Brussels]"))
                .isEqualTo(TimestampParser.parseIso("2025-11-22T07:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-02-29T08:00:00",
                "2025-13-01T00:00:00",
                "2025-11-31T00:00:00",
                "2025-11-22T24:00:00",
                "2025-11-22T08:60:00",
                "2025-11-22T08:00:60",
                "2025-11-22T08:00:00.1234567890",
                "2025-11-22T08:00:00+25:00",
                "2025-11-22T08:00:00Zjunk",
                "2025-11-2XT08:00:00",
                "2025-11-22 08:00:00",
                "yesterday"
            })
    void rejectsWhatJavaTimeRejects(String text) {
        assertThatThrownBy(() -> TimestampParser.parseIso(text))
                .isInstanceOf(InvalidValueException.class);
    }

    private static long reference(String text) {
        TemporalAccessor parsed =
                DateTimeFormatter.ISO_DATE_TIME.parseBest(
                        text, ZonedDateTime::from, LocalDateTime::from);
        var instant =
                parsed instanceof ZonedDateTime zoned
                        ? zoned.toInstant()
                        : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
