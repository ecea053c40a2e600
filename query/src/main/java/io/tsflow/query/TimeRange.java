package io.tsflow.query;

import io.tsflow.storage.raw.Shards;
import io.tsflow.storage.rollup.RollupRowMapper;
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
        // Named by the writers' own Shards, so that reader and writers cannot disagree.
        Shards shards = new Shards(daily ? "day" : "month");
        List<String> names = new ArrayList<>();
        long lastDay = Math.floorDiv(untilMicros - 1, MICROS_PER_DAY);
        for (long day = Math.floorDiv(fromMicros, MICROS_PER_DAY); day <= lastDay; day++) {
            String name = shards.of(day * MICROS_PER_DAY);
            if (names.isEmpty() || !names.get(names.size() - 1).equals(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The rollup table's shards over the range (UTC years of bucket starts), oldest first. */
    public List<String> rollupShards() {
        // Named by the writer's own RollupRowMapper, so that reader and writer cannot disagree.
        return RollupRowMapper.shards(fromMicros, untilMicros);
    }
}
