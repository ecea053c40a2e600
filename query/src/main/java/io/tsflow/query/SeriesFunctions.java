package io.tsflow.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Collectors;

/**
 * The Graphite functions the render API takes, over series whose missing values are NaN. Series are
 * combined point by point at equal timestamps (rollup buckets of one level line up; raw points line
 * up when the sensors report at the same instants).
 */
final class SeriesFunctions {

    private SeriesFunctions() {}

    /** {@code aliasByTags(series, 'tag', ...)}: the name is the tags' values joined by dots. */
    static List<RenderedSeries> aliasByTags(List<RenderedSeries> series, List<String> tags) {
        List<RenderedSeries> out = new ArrayList<>();
        for (RenderedSeries one : series) {
            String alias =
                    tags.stream()
                            .map(tag -> one.tags().getOrDefault(tag, ""))
                            .collect(Collectors.joining("."));
            out.add(one.with(alias, one.points()));
        }
        return out;
    }

    /** {@code alias(series, 'name')}. */
    static List<RenderedSeries> alias(List<RenderedSeries> series, String name) {
        return series.stream().map(one -> one.with(name, one.points())).toList();
    }

    /**
     * {@code sumSeries} and friends: one series of the {@code aggregator} over all, named {@code
     * name}, tagged with the tags all of them share.
     */
    static List<RenderedSeries> combine(
            List<RenderedSeries> series, String aggregator, String name) {
        if (series.isEmpty()) {
            return List.of();
        }
        SortedMap<String, String> common = new TreeMap<>(series.get(0).tags());
        for (RenderedSeries one : series) {
            common.entrySet().removeIf(tag -> !tag.getValue().equals(one.tags().get(tag.getKey())));
        }
        common.put("name", name);
        return List.of(
                new RenderedSeries(
                        name,
                        common,
                        series.get(0).level(),
                        aggregate(series, aggregator),
                        sources(series)));
    }

    /**
     * {@code groupByTags(series, 'sum', 'tag', ...)}: one series per combination of the tags'
     * values, of the aggregator over the series that have it. Named {@code name;tag=value;...}, the
     * name being the metric if {@code name} is one of the tags, else the aggregator.
     */
    static List<RenderedSeries> groupByTags(
            List<RenderedSeries> series, String aggregator, List<String> tags) {
        Map<SortedMap<String, String>, List<RenderedSeries>> groups = new LinkedHashMap<>();
        for (RenderedSeries one : series) {
            SortedMap<String, String> key = new TreeMap<>();
            for (String tag : tags) {
                key.put(tag, one.tags().getOrDefault(tag, ""));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(one);
        }
        List<RenderedSeries> out = new ArrayList<>();
        for (Map.Entry<SortedMap<String, String>, List<RenderedSeries>> group : groups.entrySet()) {
            SortedMap<String, String> groupTags = new TreeMap<>(group.getKey());
            String name = groupTags.getOrDefault("name", aggregator);
            groupTags.put("name", name);
            StringBuilder target = new StringBuilder(name);
            groupTags.forEach(
                    (tag, value) -> {
                        if (!tag.equals("name")) {
                            target.append(';').append(tag).append('=').append(value);
                        }
                    });
            List<RenderedSeries> members = group.getValue();
            out.add(
                    new RenderedSeries(
                            target.toString(),
                            groupTags,
                            members.get(0).level(),
                            aggregate(members, aggregator),
                            sources(members)));
        }
        return out;
    }

    private static List<String> sources(List<RenderedSeries> series) {
        return series.stream().flatMap(one -> one.sources().stream()).distinct().toList();
    }

    /** Values of all series at each timestamp, NaN left out; NaN where none has one. */
    private static List<Point> aggregate(List<RenderedSeries> series, String aggregator) {
        TreeMap<Long, List<Double>> byTime = new TreeMap<>();
        for (RenderedSeries one : series) {
            for (Point point : one.points()) {
                List<Double> values =
                        byTime.computeIfAbsent(point.micros(), t -> new ArrayList<>());
                if (!Double.isNaN(point.value())) {
                    values.add(point.value());
                }
            }
        }
        List<Point> out = new ArrayList<>(byTime.size());
        byTime.forEach((micros, values) -> out.add(new Point(micros, reduce(values, aggregator))));
        return out;
    }

    /** sum, average (avg), min, max, count, last, or the *Series names of the same. */
    static double reduce(List<Double> values, String aggregator) {
        String name = aggregator.toLowerCase(Locale.ROOT).replaceFirst("series$", "");
        if (name.equals("count")) {
            return values.size();
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return switch (name) {
            case "sum", "total" -> fold(values, Double::sum);
            case "average", "avg", "mean" -> fold(values, Double::sum) / values.size();
            case "min" -> fold(values, Math::min);
            case "max" -> fold(values, Math::max);
            case "last" -> values.get(values.size() - 1);
            default ->
                    throw new BadQueryException(
                            "unknown aggregation '"
                                    + aggregator
                                    + "': sum, average, min, max, count or last");
        };
    }

    private static double fold(List<Double> values, DoubleBinaryOperator operator) {
        double result = values.get(0);
        for (int i = 1; i < values.size(); i++) {
            result = operator.applyAsDouble(result, values.get(i));
        }
        return result;
    }

    /** {@code scale(series, factor)}. */
    static List<RenderedSeries> scale(List<RenderedSeries> series, double factor) {
        return map(
                series,
                "scale",
                String.valueOf(factor),
                (previous, point) -> point.value() * factor);
    }

    /**
     * {@code nonNegativeDerivative(series[, maxValue])}: the change since the previous point; a
     * drop is a counter reset (NaN), or a wrap past {@code maxValue} when it is given.
     */
    static List<RenderedSeries> nonNegativeDerivative(
            List<RenderedSeries> series, double maxValue) {
        return map(
                series,
                "nonNegativeDerivative",
                null,
                (previous, point) -> delta(previous, point, maxValue));
    }

    /** {@code perSecond(series[, maxValue])}: as the derivative, per second between the points. */
    static List<RenderedSeries> perSecond(List<RenderedSeries> series, double maxValue) {
        return map(
                series,
                "perSecond",
                null,
                (previous, point) -> {
                    double delta = delta(previous, point, maxValue);
                    return Double.isNaN(delta)
                            ? Double.NaN
                            : delta / ((point.micros() - previous.micros()) / 1e6);
                });
    }

    private static double delta(Point previous, Point point, double maxValue) {
        if (previous == null || Double.isNaN(previous.value()) || Double.isNaN(point.value())) {
            return Double.NaN;
        }
        double delta = point.value() - previous.value();
        if (delta >= 0) {
            return delta;
        }
        return Double.isNaN(maxValue)
                ? Double.NaN
                : maxValue - previous.value() + point.value() + 1;
    }

    /** {@code keepLastValue(series[, limit])}: a gap of at most {@code limit} points is filled. */
    static List<RenderedSeries> keepLastValue(List<RenderedSeries> series, int limit) {
        List<RenderedSeries> out = new ArrayList<>();
        for (RenderedSeries one : series) {
            List<Point> points = new ArrayList<>(one.points());
            int i = 0;
            while (i < points.size()) {
                if (!Double.isNaN(points.get(i).value())) {
                    i++;
                    continue;
                }
                int gapEnd = i;
                while (gapEnd < points.size() && Double.isNaN(points.get(gapEnd).value())) {
                    gapEnd++;
                }
                if (i > 0 && gapEnd - i <= limit) {
                    double last = points.get(i - 1).value();
                    for (int j = i; j < gapEnd; j++) {
                        points.set(j, new Point(points.get(j).micros(), last));
                    }
                }
                i = gapEnd;
            }
            out.add(renamed(one, "keepLastValue", null, points));
        }
        return out;
    }

    /**
     * {@code summarize(series, '1h'[, 'sum'])}: one point per interval (aligned to the epoch, in
     * UTC) of the aggregator over the points in it.
     */
    static List<RenderedSeries> summarize(
            List<RenderedSeries> series, String interval, String aggregator) {
        long length = micros(interval);
        List<RenderedSeries> out = new ArrayList<>();
        for (RenderedSeries one : series) {
            TreeMap<Long, List<Double>> buckets = new TreeMap<>();
            for (Point point : one.points()) {
                List<Double> values =
                        buckets.computeIfAbsent(
                                Math.floorDiv(point.micros(), length) * length,
                                start -> new ArrayList<>());
                if (!Double.isNaN(point.value())) {
                    values.add(point.value());
                }
            }
            List<Point> points = new ArrayList<>();
            buckets.forEach(
                    (start, values) -> points.add(new Point(start, reduce(values, aggregator))));
            out.add(renamed(one, "summarize", "'" + interval + "','" + aggregator + "'", points));
        }
        return out;
    }

    /**
     * {@code movingAverage(series, n)} over the last n points, or {@code movingAverage(series,
     * '5min')} over the points of the last five minutes, each point's own included.
     */
    static List<RenderedSeries> movingAverage(List<RenderedSeries> series, String window) {
        boolean byCount = window.matches("\\d+");
        long size = byCount ? Long.parseLong(window) : micros(window);
        if (size <= 0) {
            throw new BadQueryException("movingAverage: the window must be positive");
        }
        List<RenderedSeries> out = new ArrayList<>();
        for (RenderedSeries one : series) {
            Deque<Point> inWindow = new ArrayDeque<>();
            double sum = 0;
            int present = 0;
            List<Point> points = new ArrayList<>();
            for (Point point : one.points()) {
                inWindow.addLast(point);
                if (!Double.isNaN(point.value())) {
                    sum += point.value();
                    present++;
                }
                while (byCount
                        ? inWindow.size() > size
                        : inWindow.peekFirst().micros() <= point.micros() - size) {
                    Point gone = inWindow.removeFirst();
                    if (!Double.isNaN(gone.value())) {
                        sum -= gone.value();
                        present--;
                    }
                }
                points.add(new Point(point.micros(), present == 0 ? Double.NaN : sum / present));
            }
            out.add(renamed(one, "movingAverage", byCount ? window : "'" + window + "'", points));
        }
        return out;
    }

    private static long micros(String interval) {
        return GraphiteTime.intervalMicros(interval);
    }

    /** How a point is computed from the one before it (null for the first). */
    private interface PointFunction {
        double apply(Point previous, Point point);
    }

    private static List<RenderedSeries> map(
            List<RenderedSeries> series, String function, String argument, PointFunction f) {
        List<RenderedSeries> out = new ArrayList<>();
        for (RenderedSeries one : series) {
            List<Point> points = new ArrayList<>(one.points().size());
            Point previous = null;
            for (Point point : one.points()) {
                points.add(new Point(point.micros(), f.apply(previous, point)));
                previous = point;
            }
            out.add(renamed(one, function, argument, points));
        }
        return out;
    }

    /** Graphite's naming: {@code function(target[,argument])}. */
    private static RenderedSeries renamed(
            RenderedSeries one, String function, String argument, List<Point> points) {
        String target =
                function + "(" + one.target() + (argument == null ? "" : "," + argument) + ")";
        return one.with(target, points);
    }
}
