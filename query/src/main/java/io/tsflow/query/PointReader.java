package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads one series' points over a range, oldest first: raw rows (numeric and boolean values; a
 * boolean is 1 or 0) or one rollup interval's buckets as one {@link Aggregate}. Shards are read one
 * after the other and pages fetched as the driver iterates, so memory stays bounded by what the
 * caller keeps.
 */
public final class PointReader {

    private final CqlSession session;
    private final boolean dailyShards;
    private final PreparedStatement raw;
    private final Map<String, PreparedStatement> rollups = new ConcurrentHashMap<>();
    private final String keyspace;

    public PointReader(CqlSession session, String keyspace, boolean dailyShards) {
        this.session = session;
        this.dailyShards = dailyShards;
        this.raw =
                session.prepare(
                        "SELECT ts_micros, value_double, value_long, value_bool FROM "
                                + keyspace
                                + ".observations_raw WHERE series_key = ? AND shard = ?"
                                + " AND ts_micros >= ? AND ts_micros < ? ORDER BY ts_micros ASC"
                                + " LIMIT ?");
        this.keyspace = keyspace;
    }

    /**
     * The statement reading {@code column} of the rollup table, prepared on first use: a keyspace
     * without rollups (no rollup job) still serves raw points.
     */
    private PreparedStatement rollupStatement(String column) {
        return rollups.computeIfAbsent(
                column,
                name ->
                        session.prepare(
                                "SELECT bucket_start_micros, "
                                        + name
                                        + " FROM "
                                        + keyspace
                                        + ".rollups WHERE series_key = ? AND interval = ?"
                                        + " AND shard = ? AND bucket_start_micros >= ?"
                                        + " AND bucket_start_micros < ?"
                                        + " ORDER BY bucket_start_micros ASC"));
    }

    /** At most {@code limit} raw points of {@code seriesKey}. */
    public List<Point> raw(String seriesKey, TimeRange range, int limit) {
        List<Point> points = new ArrayList<>();
        forEachRaw(seriesKey, range, limit, points::add);
        return points;
    }

    /**
     * Hands each raw point of {@code seriesKey} to {@code out}, at most {@code limit}, as the
     * driver fetches the pages: nothing is kept here.
     */
    public void forEachRaw(String seriesKey, TimeRange range, long limit, Consumer<Point> out) {
        long sent = 0;
        for (String shard : range.rawShards(dailyShards)) {
            long left = limit - sent;
            if (left <= 0) {
                return;
            }
            for (Row row :
                    session.execute(
                            raw.bind(
                                    seriesKey,
                                    shard,
                                    range.fromMicros(),
                                    range.untilMicros(),
                                    (int) Math.min(Integer.MAX_VALUE, left)))) {
                out.accept(new Point(row.getLong(0), numeric(row)));
                sent++;
            }
        }
    }

    /** The buckets of {@code seriesKey} at {@code level} that start in the range. */
    public List<Point> rollup(String seriesKey, Level level, TimeRange range, Aggregate aggregate) {
        List<Point> points = new ArrayList<>();
        forEachRollup(seriesKey, level, range, aggregate, points::add);
        return points;
    }

    /** As {@link #rollup}, handing each bucket to {@code out} as the pages arrive. */
    public void forEachRollup(
            String seriesKey,
            Level level,
            TimeRange range,
            Aggregate aggregate,
            Consumer<Point> out) {
        for (String shard : range.rollupShards()) {
            for (Row row :
                    session.execute(
                            rollupStatement(aggregate.column())
                                    .bind(
                                            seriesKey,
                                            level.name(),
                                            shard,
                                            range.fromMicros(),
                                            range.untilMicros()))) {
                double value;
                if (row.isNull(1)) {
                    value = Double.NaN;
                } else if (aggregate.isQuantile()) {
                    Double quantile =
                            row.getMap(1, String.class, Double.class).get(aggregate.quantile());
                    value = quantile == null ? Double.NaN : quantile;
                } else if (aggregate.equals(Aggregate.COUNT)) {
                    value = row.getLong(1);
                } else {
                    value = row.getDouble(1);
                }
                out.accept(new Point(row.getLong(0), value));
            }
        }
    }

    private static double numeric(Row row) {
        if (!row.isNull(1)) {
            return row.getDouble(1);
        }
        if (!row.isNull(2)) {
            return row.getLong(2);
        }
        if (!row.isNull(3)) {
            return row.getBoolean(3) ? 1 : 0;
        }
        return Double.NaN; // text, binary, position: no number to plot
    }
}
