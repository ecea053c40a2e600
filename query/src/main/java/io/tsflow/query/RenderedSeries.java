package io.tsflow.query;

import java.util.List;
import java.util.SortedMap;

/**
 * One series of a response: its name, tags, the level its points come from, the points, and the
 * keys of the stored series it was computed from (one, or several for a combination).
 */
public record RenderedSeries(
        String target,
        SortedMap<String, String> tags,
        Level level,
        List<Point> points,
        List<String> sources) {

    /** The same series under another name, or with other points. */
    RenderedSeries with(String newTarget, List<Point> newPoints) {
        return new RenderedSeries(newTarget, tags, level, newPoints, sources);
    }
}
