package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BooleanStats;
import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.aggregate.CounterMode;
import io.tsflow.rollup.aggregate.FirstLast;
import io.tsflow.rollup.aggregate.NumericStats;
import io.tsflow.rollup.aggregate.PositionStats;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Bucket;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.BoundingBox;
import io.tsflow.schema.NumericStats.Builder;
import io.tsflow.schema.Pos2d;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a bucket's aggregate as the {@code Aggregation} contract of topic {@code aggregations}.
 */
public final class AggregationRecords {

    private AggregationRecords() {}

    public static Aggregation toRecord(
            SeriesRef series,
            Interval interval,
            Bucket bucket,
            SeriesPolicy policy,
            int revision,
            BucketAggregate aggregate) {
        FirstLast firstLast = aggregate.firstLast();
        Aggregation.Builder record =
                Aggregation.newBuilder()
                        .setSeriesKey(series.seriesKey())
                        .setMetric(series.metric())
                        .setTagset(series.tagset())
                        .setType(series.type())
                        .setInterval(interval.name())
                        .setTimeZone(policy.zone().getId())
                        .setBucketStartMicros(bucket.startMicros())
                        .setBucketEndMicros(bucket.endMicros())
                        .setRevision(revision)
                        .setCount(firstLast.count())
                        .setFirstTimestampMicros(firstLast.firstMicros())
                        .setLastTimestampMicros(firstLast.lastMicros())
                        .setFirst(firstLast.first())
                        .setLast(firstLast.last())
                        .setNumeric(null)
                        .setCountTrue(null)
                        .setBoundingBox(null);
        NumericStats numeric = aggregate.numeric();
        if (numeric != null) {
            // A bucket holds no sketch if it, or a bucket merged into it, began while the series'
            // rule needed none (its rule changed across a restart): no quantiles rather than
            // quantiles over part of its points.
            Map<String, Double> quantiles = new LinkedHashMap<>();
            if (numeric.hasSketch()) {
                policy.quantiles().forEach((name, q) -> quantiles.put(name, numeric.quantile(q)));
            }
            double seconds = bucket.lengthMicros() / 1e6;
            Builder stats =
                    io.tsflow.schema.NumericStats.newBuilder()
                            .setSum(numeric.sum())
                            .setMin(numeric.min())
                            .setMax(numeric.max())
                            .setMean(numeric.mean())
                            .setSumOfSquares(numeric.sumOfSquares())
                            .setVariance(numeric.variance())
                            .setStddev(numeric.stddev())
                            .setQuantiles(quantiles)
                            // Encoded only where it is published: the level above merges the
                            // aggregate itself, never this record.
                            .setSketch(
                                    policy.publishSketch() && numeric.hasSketch()
                                            ? numeric.sketchBytes()
                                            : null)
                            .setCounterIncrease(policy.counter() ? numeric.increase() : null)
                            .setCounterRatePerSecond(
                                    policy.counter() ? numeric.ratePerSecond(seconds) : null);
            record.setNumeric(stats.build());
        }
        if (aggregate.booleans() != null) {
            record.setCountTrue(aggregate.booleans().countTrue());
        }
        PositionStats positions = aggregate.positions();
        if (positions != null) {
            record.setBoundingBox(
                    new BoundingBox(
                            positions.minLatitude(),
                            positions.minLongitude(),
                            positions.maxLatitude(),
                            positions.maxLongitude(),
                            new Pos2d(
                                    positions.centroidLatitude(), positions.centroidLongitude())));
        }
        return record.build();
    }

    /** Reads a bucket of the level below back into an aggregate that the next level merges. */
    public static BucketAggregate fromRecord(Aggregation record, CounterMode counter) {
        FirstLast firstLast =
                FirstLast.of(
                        record.getCount(),
                        record.getFirstTimestampMicros(),
                        record.getFirst(),
                        record.getLastTimestampMicros(),
                        record.getLast());
        NumericStats numeric = null;
        io.tsflow.schema.NumericStats stats = record.getNumeric();
        if (stats != null) {
            byte[] bytes = null;
            if (stats.getSketch() != null) {
                ByteBuffer sketch = stats.getSketch().duplicate();
                bytes = new byte[sketch.remaining()];
                sketch.get(bytes);
            }
            numeric =
                    NumericStats.of(
                            record.getCount(),
                            stats.getSum(),
                            stats.getSumOfSquares(),
                            stats.getMin(),
                            stats.getMax(),
                            stats.getMean(),
                            stats.getVariance(),
                            ((Number) record.getFirst()).doubleValue(),
                            ((Number) record.getLast()).doubleValue(),
                            stats.getCounterIncrease() == null ? 0 : stats.getCounterIncrease(),
                            bytes);
        }
        BooleanStats booleans =
                record.getCountTrue() == null ? null : BooleanStats.of(record.getCountTrue());
        PositionStats positions = null;
        BoundingBox box = record.getBoundingBox();
        if (box != null) {
            positions =
                    PositionStats.of(
                            record.getCount(),
                            box.getMinLatitude(),
                            box.getMinLongitude(),
                            box.getMaxLatitude(),
                            box.getMaxLongitude(),
                            box.getCentroid().getLatitude(),
                            box.getCentroid().getLongitude());
        }
        return new BucketAggregate(counter, firstLast, numeric, booleans, positions);
    }
}
