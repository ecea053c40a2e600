package io.tsflow.endtoend;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The rollups of a set of points computed here, independently of the job: each bucket's points
 * found by {@code java.time} truncation (minutes and hours in UTC, days at local midnight in
 * Brussels), its statistics over them in time order, a counter's increase with a drop read as a
 * reset.
 */
final class ExpectedRollups {

    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    /** A bucket: series (metric and sorted tags), interval, start. */
    record BucketKey(String series, String interval, long startMicros) {}

    /** What is compared of a bucket. */
    record Stats(
            long count,
            double sum,
            double min,
            double max,
            long firstMicros,
            long lastMicros,
            Double counterIncrease) {

        boolean matches(Stats other) {
            return count == other.count
                    && Math.abs(sum - other.sum) <= 1e-9 * Math.max(1, Math.abs(sum))
                    && min == other.min
                    && max == other.max
                    && firstMicros == other.firstMicros
                    && lastMicros == other.lastMicros
                    && (counterIncrease == null
                            ? other.counterIncrease == null
                            : other.counterIncrease != null
                                    && Math.abs(counterIncrease - other.counterIncrease) < 1e-6);
        }
    }

    static String seriesId(String metric, Map<?, ?> tags) {
        Map<String, String> sorted = new TreeMap<>();
        tags.forEach((key, value) -> sorted.put(key.toString(), value.toString()));
        return metric + sorted;
    }

    private static final Map<String, LongUnaryOperator> LEVELS =
            Map.of(
                    "1m",
                    millis ->
                            Instant.ofEpochMilli(millis)
                                    .truncatedTo(ChronoUnit.MINUTES)
                                    .toEpochMilli(),
                    "1h",
                    millis ->
                            Instant.ofEpochMilli(millis)
                                    .truncatedTo(ChronoUnit.HOURS)
                                    .toEpochMilli(),
                    "1d",
                    millis ->
                            Instant.ofEpochMilli(millis)
                                    .atZone(BRUSSELS)
                                    .toLocalDate()
                                    .atStartOfDay(BRUSSELS)
                                    .toInstant()
                                    .toEpochMilli());

    static Map<BucketKey, Stats> of(Map<GatewayBacklog.Series, TreeMap<Long, Double>> points) {
        Map<BucketKey, Stats> expected = new HashMap<>();
        points.forEach(
                (series, values) -> {
                    String id = seriesId(series.metric(), series.tags());
                    for (Map.Entry<String, LongUnaryOperator> level : LEVELS.entrySet()) {
                        Map<Long, TreeMap<Long, Double>> buckets = new TreeMap<>();
                        values.forEach(
                                (millis, value) ->
                                        buckets.computeIfAbsent(
                                                        level.getValue().applyAsLong(millis),
                                                        start -> new TreeMap<>())
                                                .put(millis, value));
                        buckets.forEach(
                                (start, inBucket) ->
                                        expected.put(
                                                new BucketKey(id, level.getKey(), start * 1000),
                                                stats(inBucket, series.counter())));
                    }
                });
        return expected;
    }

    private static Stats stats(TreeMap<Long, Double> points, boolean counter) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double increase = 0;
        Double previous = null;
        for (double value : points.values()) {
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
            if (previous != null) {
                increase += value >= previous ? value - previous : value;
            }
            previous = value;
        }
        return new Stats(
                points.size(),
                sum,
                min,
                max,
                points.firstKey() * 1000,
                points.lastKey() * 1000,
                counter ? increase : null);
    }

    /** The buckets of {@code actual} that differ from {@code expected}, or are missing or extra. */
    static List<String> differences(Map<BucketKey, Stats> expected, Map<BucketKey, Stats> actual) {
        List<String> differences = new java.util.ArrayList<>();
        expected.forEach(
                (key, stats) -> {
                    Stats found = actual.get(key);
                    if (found == null) {
                        differences.add("missing " + key);
                    } else if (!stats.matches(found)) {
                        differences.add(key + ": expected " + stats + ", found " + found);
                    }
                });
        actual.keySet().stream()
                .filter(key -> !expected.containsKey(key))
                .forEach(key -> differences.add("unexpected " + key));
        return differences;
    }

    private ExpectedRollups() {}
}
