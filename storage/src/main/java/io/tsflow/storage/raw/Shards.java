package io.tsflow.storage.raw;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The time shard of a point, in UTC: {@code 2026-11} for month shards, {@code 2026-11-22} for day
 * shards.
 */
public final class Shards implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final boolean daily;

    public Shards(String shard) {
        this.daily = shard.equals("day");
    }

    public String of(long timestampMicros) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(timestampMicros, MICROS_PER_DAY));
        if (daily) {
            return date.toString();
        }
        int month = date.getMonthValue();
        return date.getYear() + (month < 10 ? "-0" : "-") + month;
    }

    /** The longest shard. */
    public Duration length() {
        return daily ? Duration.ofDays(1) : Duration.ofDays(31);
    }
}
