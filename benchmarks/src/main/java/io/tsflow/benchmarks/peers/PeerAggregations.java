package io.tsflow.benchmarks.peers;

import io.tsflow.schema.Aggregation;
import io.tsflow.schema.NumericStats;
import java.util.Map;

/**
 * The output record of the peers: the {@link Aggregation} tsflow writes, with the fields the peers
 * compute (count, sum, min, max, mean). The rest (variance, quantiles, first and last) is tsflow's
 * own work and stays empty or NaN.
 */
public final class PeerAggregations {

    private PeerAggregations() {}

    public static Aggregation of(
            String seriesKey,
            String interval,
            long startMicros,
            long endMicros,
            long count,
            double sum,
            double min,
            double max) {
        int brace = seriesKey.indexOf('{');
        Aggregation bucket = new Aggregation();
        bucket.setSeriesKey(seriesKey);
        bucket.setMetric(brace < 0 ? seriesKey : seriesKey.substring(0, brace));
        bucket.setTagset(Map.of());
        bucket.setType("tdouble");
        bucket.setInterval(interval);
        bucket.setTimeZone("UTC");
        bucket.setBucketStartMicros(startMicros);
        bucket.setBucketEndMicros(endMicros);
        bucket.setRevision(0);
        bucket.setCount(count);
        bucket.setFirstTimestampMicros(startMicros);
        bucket.setLastTimestampMicros(endMicros - 1);
        NumericStats stats = new NumericStats();
        stats.setSum(sum);
        stats.setMin(min);
        stats.setMax(max);
        stats.setMean(sum / count);
        stats.setSumOfSquares(Double.NaN);
        stats.setVariance(Double.NaN);
        stats.setStddev(Double.NaN);
        stats.setQuantiles(Map.of());
        bucket.setNumeric(stats);
        return bucket;
    }
}
