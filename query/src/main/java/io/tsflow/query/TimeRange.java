package io.tsflow.query;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A half-open time range {@code [fromMicros, untilMicros)}, and the storage shards it covers. */
public record TimeRange(long fromMicros, long untilMicros) {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    public TimeRange {
        if (untilMicros <= fromMicros) {
            throw new BadQueryException("the range is empty: until must be after from");
        }
    }

    public long lengthMicros() {
        return untilMicros - fromMicros;
    }

    /**
     * The raw table's shards over the range, oldest first: months ({@code 2026-11}) or, with {@code
     * daily}, days ({@code 2026-11-22}), as the jobs' {@code storage.shard} says.
     */
    public List<String> rawShards(boolean daily) {
        List<String> shards = new ArrayList<>();
        LocalDate last = day(untilMicros - 1);
        for (LocalDate day = day(fromMicros); !day.isAfter(last); ) {
            if (daily) {
                shards.add(day.toString());
                day = day.plusDays(1);
            } else {
                int month = day.getMonthValue();
                shards.add(day.getYear() + (month < 10 ? "-0" : "-") + month);
                day = day.withDayOfMonth(1).plusMonths(1);
            }
        }
        return shards;
    }

    /** The rollup table's shards over the range (UTC years of bucket starts), oldest first. */
    public List<String> rollupShards() {
        List<String> shards = new ArrayList<>();
        int first = day(fromMicros).getYear();
        int last = day(untilMicros - 1).getYear();
        for (int year = first; year <= last; year++) {
            shards.add(Integer.toString(year));
        }
        return shards;
    }

    private static LocalDate day(long micros) {
        return LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY));
    }
}
