package io.tsflow.storage.rollup;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.type.reflect.GenericType;
import io.tsflow.connectors.cassandra.CassandraStatementMapper;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.NumericStats;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Upserts each bucket's latest revision into the rollup table, keyed by series, interval, year and
 * bucket start only, so a revision or a replay overwrites. Each row lives as long as {@link
 * BucketRetention} says.
 */
public class RollupRowMapper implements CassandraStatementMapper<Aggregation> {

    private static final long serialVersionUID = 1L;
    private static final GenericType<Map<String, String>> TAGSET =
            GenericType.mapOf(String.class, String.class);
    private static final GenericType<Map<String, Double>> QUANTILES =
            GenericType.mapOf(String.class, Double.class);

    private final String keyspace;
    private final BucketRetention retention;
    private transient PreparedStatement upsert;

    public RollupRowMapper(String keyspace, BucketRetention retention) {
        this.keyspace = keyspace;
        this.retention = retention;
    }

    @Override
    public void open(CqlSession session) {
        upsert =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".rollups (series_key, interval, shard, bucket_start_micros,"
                                + " bucket_end_micros, time_zone, revision, metric, tagset, type,"
                                + " count, first_ts_micros, last_ts_micros, sum, min, max, mean,"
                                + " sum_of_squares, variance, stddev, quantiles, sketch,"
                                + " counter_increase, counter_rate, count_true, last_value) VALUES"
                                + " (:series_key, :interval, :shard, :bucket_start_micros,"
                                + " :bucket_end_micros, :time_zone, :revision, :metric, :tagset,"
                                + " :type, :count, :first_ts_micros, :last_ts_micros, :sum, :min,"
                                + " :max, :mean, :sum_of_squares, :variance, :stddev, :quantiles,"
                                + " :sketch, :counter_increase, :counter_rate, :count_true,"
                                + " :last_value) USING TTL :ttl AND TIMESTAMP :"
                                // The sink binds the write timestamp: a series' buckets of one
                                // level and year then go to Cassandra as one batch.
                                + CassandraStatementMapper.TIMESTAMP_MARKER);
    }

    /** The UTC year of the bucket start: a partition per series, interval and year. */
    public static String shard(long startMicros) {
        return Integer.toString(year(startMicros));
    }

    /**
     * The shards holding buckets that start in {@code [fromMicros, untilMicros)}, oldest first:
     * what a reader of the range must look in.
     */
    public static List<String> shards(long fromMicros, long untilMicros) {
        List<String> shards = new ArrayList<>();
        for (int year = year(fromMicros); year <= year(untilMicros - 1); year++) {
            shards.add(Integer.toString(year));
        }
        return shards;
    }

    private static int year(long micros) {
        return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L)).getYear();
    }

    @Override
    public void statementsFor(Aggregation bucket, Consumer<Statement<?>> out) {
        BoundStatementBuilder row =
                upsert.boundStatementBuilder()
                        .setString("series_key", bucket.getSeriesKey())
                        .setString("interval", bucket.getInterval())
                        .setString("shard", shard(bucket.getBucketStartMicros()))
                        .setLong("bucket_start_micros", bucket.getBucketStartMicros())
                        .setLong("bucket_end_micros", bucket.getBucketEndMicros())
                        .setString("time_zone", bucket.getTimeZone())
                        .setInt("revision", bucket.getRevision())
                        .setString("metric", bucket.getMetric())
                        .set("tagset", bucket.getTagset(), TAGSET)
                        .setString("type", bucket.getType())
                        .setLong("count", bucket.getCount())
                        .setLong("first_ts_micros", bucket.getFirstTimestampMicros())
                        .setLong("last_ts_micros", bucket.getLastTimestampMicros())
                        .setInt("ttl", (int) retention.of(bucket).getSeconds());
        NumericStats stats = bucket.getNumeric();
        if (stats != null) {
            row.setDouble("sum", stats.getSum())
                    .setDouble("min", stats.getMin())
                    .setDouble("max", stats.getMax())
                    .setDouble("mean", stats.getMean())
                    .setDouble("sum_of_squares", stats.getSumOfSquares())
                    .setDouble("variance", stats.getVariance())
                    .setDouble("stddev", stats.getStddev())
                    .set("quantiles", stats.getQuantiles(), QUANTILES)
                    .setByteBuffer(
                            "sketch",
                            stats.getSketch() == null ? null : stats.getSketch().duplicate());
            if (stats.getCounterIncrease() != null) {
                row.setDouble("counter_increase", stats.getCounterIncrease())
                        .setDouble("counter_rate", stats.getCounterRatePerSecond());
            }
        }
        if (bucket.getCountTrue() != null) {
            row.setLong("count_true", bucket.getCountTrue());
        }
        Object last = bucket.getLast();
        if (last instanceof Double d) {
            row.setDouble("last_value", d);
        } else if (last instanceof Long l) {
            row.setDouble("last_value", l);
        } else if (last instanceof Boolean b) {
            row.setDouble("last_value", b ? 1 : 0);
        }
        out.accept(row.build());
    }
}
