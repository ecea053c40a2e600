package io.tsflow.query;

import java.util.List;
import java.util.SortedMap;

/** One series of a response: its name, tags, the level its points come from, and the points. */
public record RenderedSeries(
        String target, SortedMap<String, String> tags, Level level, List<Point> points) {}
