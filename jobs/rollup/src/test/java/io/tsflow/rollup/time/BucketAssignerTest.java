package io.tsflow.rollup.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketAssignerTest {

    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Interval DAY = Interval.parse("1d");

    private static long micros(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant().toEpochMilli() * 1000;
    }

    private static Duration length(Bucket bucket) {
        return Duration.ofNanos(bucket.lengthMicros() * 1000);
    }

    private static String local(long micros, ZoneId zone) {
        return Instant.ofEpochMilli(micros / 1000).atZone(zone).toLocalDateTime().toString();
    }

    @ParameterizedTest(name = "{0} {1}: {2} hours")
    @CsvSource({
        "Europe/Brussels, 2025-03-30T12:00, 23",
        "Europe/Brussels, 2025-10-26T12:00, 25",
        "Europe/Brussels, 2025-06-15T12:00, 24",
        "America/New_York, 2025-03-09T12:00, 23",
        "America/New_York, 2025-11-02T12:00, 25",
        "America/New_York, 2025-11-02T00:30, 25",
        "America/New_York, 2025-11-02T23:59:59, 25",
    })
    void daysFollowTheZoneAcrossDaylightSavingChanges(String zone, String at, int hours) {
        ZoneId id = ZoneId.of(zone);
        Bucket day = BucketAssigner.bucketOf(micros(at, id), DAY, id);
        assertThat(length(day)).isEqualTo(Duration.ofHours(hours));
        assertThat(local(day.startMicros(), id)).isEqualTo(at.substring(0, 10) + "T00:00");
        assertThat(local(day.endMicros(), id)).endsWith("T00:00");
    }

    @Test
    void theRepeatedHourOfAnAutumnNightBelongsToThatDay() {
        // 02:30 occurs twice in Brussels on 2025-10-26; both are in the 25-hour day.
        ZonedDateTime first = LocalDateTime.parse("2025-10-26T02:30").atZone(BRUSSELS);
        ZonedDateTime second = first.withLaterOffsetAtOverlap();
        assertThat(second).isNotEqualTo(first);
        Bucket a = BucketAssigner.bucketOf(first.toInstant().toEpochMilli() * 1000, DAY, BRUSSELS);
        Bucket b = BucketAssigner.bucketOf(second.toInstant().toEpochMilli() * 1000, DAY, BRUSSELS);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aDayWithoutMidnightStartsAtItsFirstLocalTime() {
        // São Paulo skipped from 00:00 to 01:00 on 2018-11-04.
        ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
        Bucket day = BucketAssigner.bucketOf(micros("2018-11-04T12:00", saoPaulo), DAY, saoPaulo);
        assertThat(local(day.startMicros(), saoPaulo)).isEqualTo("2018-11-04T01:00");
        assertThat(length(day)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void hoursInAHalfHourZoneFollowItsClockAndNestInItsDays() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        Bucket hour =
                BucketAssigner.bucketOf(
                        micros("2025-11-22T00:10", kolkata), Interval.parse("1h"), kolkata);
        assertThat(local(hour.startMicros(), kolkata)).isEqualTo("2025-11-22T00:00");
        Bucket day = BucketAssigner.bucketOf(micros("2025-11-22T00:10", kolkata), DAY, kolkata);
        assertThat(hour.startMicros()).isEqualTo(day.startMicros());
    }

    @Test
    void weeksStartOnMondayInTheZone() {
        Interval week = Interval.parse("1w");
        // Sunday 2025-03-30, the day the clocks go forward, is the last day of its week.
        Bucket bucket =
                BucketAssigner.bucketOf(micros("2025-03-30T23:30", BRUSSELS), week, BRUSSELS);
        assertThat(local(bucket.startMicros(), BRUSSELS)).isEqualTo("2025-03-24T00:00");
        assertThat(local(bucket.endMicros(), BRUSSELS)).isEqualTo("2025-03-31T00:00");
        assertThat(length(bucket)).isEqualTo(Duration.ofHours(7 * 24 - 1));
    }

    @ParameterizedTest
    @CsvSource({
        "2024-02-29T23:59:59, 2024-02-01T00:00, 2024-03-01T00:00",
        "2025-02-01T00:00, 2025-02-01T00:00, 2025-03-01T00:00",
        "2025-12-31T23:00, 2025-12-01T00:00, 2026-01-01T00:00",
        "2025-10-31T12:00, 2025-10-01T00:00, 2025-11-01T00:00",
    })
    void monthsEndOnTheirLastDay(String at, String start, String end) {
        Bucket month =
                BucketAssigner.bucketOf(micros(at, NEW_YORK), Interval.parse("1mo"), NEW_YORK);
        assertThat(local(month.startMicros(), NEW_YORK)).isEqualTo(start);
        assertThat(local(month.endMicros(), NEW_YORK)).isEqualTo(end);
    }

    @Test
    void fixedIntervalsAreAlignedToTheEpochBeforeAndAfterIt() {
        Interval fiveMinutes = Interval.parse("5m");
        Bucket bucket = BucketAssigner.bucketOf(-1, fiveMinutes, BRUSSELS);
        assertThat(bucket).isEqualTo(new Bucket(-300_000_000L, 0));
        assertThat(BucketAssigner.bucketOf(1_763_798_461_000_000L, fiveMinutes, NEW_YORK))
                .isEqualTo(new Bucket(1_763_798_400_000_000L, 1_763_798_700_000_000L));
    }

    @Test
    void bucketsContainTheirTimestampsAndTileTheTimeline() {
        Random random = new Random(1);
        for (String name : List.of("10s", "1m", "15m", "1h", "6h", "1d", "1w", "1mo")) {
            Interval interval = Interval.parse(name);
            for (ZoneId zone :
                    List.of(BRUSSELS, NEW_YORK, ZoneId.of("Asia/Kolkata"), ZoneId.of("UTC"))) {
                for (int i = 0; i < 2_000; i++) {
                    long micros =
                            1_500_000_000_000_000L
                                    + (long) (random.nextDouble() * 400_000_000_000_000L);
                    Bucket bucket = BucketAssigner.bucketOf(micros, interval, zone);
                    assertThat(bucket.contains(micros)).as("%s %s %d", name, zone, micros).isTrue();
                    assertThat(
                                    BucketAssigner.bucketOf(bucket.endMicros(), interval, zone)
                                            .startMicros())
                            .isEqualTo(bucket.endMicros());
                    assertThat(BucketAssigner.bucketOf(bucket.startMicros(), interval, zone))
                            .isEqualTo(bucket);
                }
            }
        }
    }

    @Test
    void intervalsAreParsedAndChecked() {
        assertThat(Interval.parse("15m").fixedLength()).isEqualTo(Duration.ofMinutes(15));
        assertThat(Interval.parse("1h").compareTo(Interval.parse("1d"))).isNegative();
        assertThatThrownBy(() -> Interval.parse("7m")).hasMessageContaining("divide a day");
        assertThat(Interval.parse("10s").fixedLength()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Interval.parse("30s").compareTo(Interval.parse("1m"))).isNegative();
        assertThatThrownBy(() -> Interval.parse("7s")).hasMessageContaining("divide a day");
        assertThatThrownBy(() -> Interval.parse("2d")).hasMessageContaining("1d, 1w or 1mo");
        assertThatThrownBy(() -> Interval.parse("1y")).hasMessageContaining("not an interval");
    }
}
