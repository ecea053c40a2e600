package io.tsflow.query;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Answers a render query: finds the series, chooses the level, reads the points. The level is the
 * finest whose points fit {@code maxDataPoints} for every series: raw when no series has more raw
 * points than that over the range, else the finest rollup interval with few enough buckets (the
 * coarsest if none has). A caller may force a level.
 */
public final class QueryService {

    private final SeriesFinder finder;
    private final PointReader reader;
    private final List<Level> rollupLevels;
    private final QueryLimits limits;

    public QueryService(
            SeriesFinder finder, PointReader reader, List<Level> rollupLevels, QueryLimits limits) {
        this.finder = finder;
        this.reader = reader;
        this.rollupLevels =
                rollupLevels.stream()
                        .sorted((a, b) -> Long.compare(a.intervalMicros(), b.intervalMicros()))
                        .toList();
        this.limits = limits;
    }

    /** One request: the series of {@code matchers} over {@code range}. */
    public record Request(
            List<TagMatcher> matchers,
            TimeRange range,
            int maxDataPoints,
            Level forcedLevel,
            Aggregate aggregate) {}

    /** The rollup intervals, finest first. */
    public List<String> levelNames() {
        return names(rollupLevels);
    }

    /** The series of {@code matchers} over {@code range}, at most {@code maxSeries}. */
    public List<SeriesRef> find(List<TagMatcher> matchers, TimeRange range) {
        return finder.find(matchers, range, limits.maxSeries());
    }

    public List<RenderedSeries> render(Request request) {
        int budget = Math.min(request.maxDataPoints(), limits.maxDataPoints());
        List<SeriesRef> series =
                finder.find(request.matchers(), request.range(), limits.maxSeries());
        Level level = request.forcedLevel();
        List<List<Point>> raw = null;
        if (level == null || level.isRaw()) {
            raw =
                    readRawWithin(
                            series,
                            request.range(),
                            level == null ? budget : limits.maxDataPoints());
            if (raw == null && level != null) {
                throw new BadQueryException(
                        "a series has more than "
                                + limits.maxDataPoints()
                                + " raw points in the range: ask for a rollup level or a shorter"
                                + " range");
            }
            if (raw != null) {
                level = Level.RAW;
            }
        }
        if (level == null) {
            level = finestFitting(request.range(), budget);
        } else if (!level.isRaw() && !rollupLevels.contains(level)) {
            throw new BadQueryException(
                    "no rollup level '" + level.name() + "': " + names(rollupLevels));
        }
        List<RenderedSeries> out = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            SeriesRef ref = series.get(i);
            List<Point> points =
                    level.isRaw()
                            ? raw.get(i)
                            : reader.rollup(
                                    ref.seriesKey(), level, request.range(), request.aggregate());
            TreeMap<String, String> tags = new TreeMap<>(ref.tags());
            tags.put("name", ref.metric());
            out.add(
                    new RenderedSeries(
                            ref.seriesKey(), tags, level, points, List.of(ref.seriesKey())));
        }
        return out;
    }

    /** Each series' raw points, or null as soon as one has more than {@code budget}. */
    private List<List<Point>> readRawWithin(List<SeriesRef> series, TimeRange range, int budget) {
        List<List<Point>> all = new ArrayList<>();
        for (SeriesRef ref : series) {
            List<Point> points = reader.raw(ref.seriesKey(), range, budget + 1);
            if (points.size() > budget) {
                return null;
            }
            all.add(points);
        }
        return all;
    }

    private Level finestFitting(TimeRange range, int budget) {
        if (rollupLevels.isEmpty()) {
            throw new BadQueryException(
                    "more than " + budget + " raw points in the range and no rollup level");
        }
        for (Level level : rollupLevels) {
            if (level.pointsOver(range) <= budget) {
                return level;
            }
        }
        return rollupLevels.get(rollupLevels.size() - 1);
    }

    private static List<String> names(List<Level> levels) {
        return levels.stream().map(Level::name).toList();
    }
}
