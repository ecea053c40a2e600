package io.tsflow.rollup.time;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneRules;

/**
 * Assigns timestamps to buckets. Minutes and hours are fixed lengths aligned to the epoch (UTC): in
 * zones with whole-hour offsets hourly buckets are the local hours. Days, weeks and months follow
 * the zone's calendar: a day runs from local midnight to the next local midnight, so it lasts 23 or
 * 25 hours when daylight-saving time starts or ends; weeks start on Monday (ISO-8601); months on
 * the 1st. Where a zone skips midnight, the day starts at the first local time that exists. Flink's
 * window offsets cannot express this: they are a fixed UTC offset, not a zone.
 */
public final class BucketAssigner {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private BucketAssigner() {}

    public static Bucket bucketOf(long micros, Interval interval, ZoneId zone) {
        if (interval.isFixed()) {
            long seconds = interval.fixedSeconds();
            long length = seconds * MICROS_PER_SECOND;
            // Intervals that divide an hour follow the zone's offset, so that in zones such as
            // Asia/Kolkata (+05:30) hours run from :30 to :30 UTC and nest into local days. Longer
            // fixed intervals stay aligned to UTC: they cannot tile 23- and 25-hour days anyway.
            long offset = 3600 % seconds == 0 ? offsetSeconds(micros, zone) * MICROS_PER_SECOND : 0;
            long start = Math.floorDiv(micros + offset, length) * length - offset;
            return new Bucket(start, start + length);
        }
        LocalDate date =
                Instant.ofEpochSecond(
                                Math.floorDiv(micros, MICROS_PER_SECOND),
                                Math.floorMod(micros, MICROS_PER_SECOND) * 1000)
                        .atZone(zone)
                        .toLocalDate();
        LocalDate first;
        LocalDate next;
        switch (interval.unit()) {
            case DAY -> {
                first = date;
                next = date.plusDays(1);
            }
            case WEEK -> {
                first = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                next = first.plusWeeks(1);
            }
            case MONTH -> {
                first = date.withDayOfMonth(1);
                next = first.plusMonths(1);
            }
            default -> throw new IllegalStateException(interval.toString());
        }
        return new Bucket(startOfDay(first, zone), startOfDay(next, zone));
    }

    private static long offsetSeconds(long micros, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return rules.getOffset(Instant.EPOCH).getTotalSeconds();
        }
        return rules.getOffset(Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND)))
                .getTotalSeconds();
    }

    private static long startOfDay(LocalDate date, ZoneId zone) {
        return date.atStartOfDay(zone).toEpochSecond() * MICROS_PER_SECOND;
    }
}
