package io.tsflow.query;

import io.tsflow.common.config.DurationParser;
import java.time.Duration;

/** Where points are read from: the raw table, or one rollup interval ({@code 1m}, {@code 1h}). */
public record Level(String name, long intervalMicros) {

    public static final Level RAW = new Level("raw", 0);

    /** A rollup interval as the rollup job names it. */
    public static Level rollup(String interval) {
        Duration length;
        try {
            length = DurationParser.parse(interval);
        } catch (RuntimeException e) {
            throw new BadQueryException("not a rollup interval: '" + interval + "'");
        }
        return new Level(interval, length.toNanos() / 1000);
    }

    public boolean isRaw() {
        return intervalMicros == 0;
    }

    /** The most points one series can have at this level over {@code range}. */
    long pointsOver(TimeRange range) {
        return -Math.floorDiv(-range.lengthMicros(), intervalMicros);
    }
}
