package io.tsflow.query;

import java.util.SortedMap;

/** A stored series: its key as the jobs write it, its metric and tags. */
public record SeriesRef(String seriesKey, String metric, SortedMap<String, String> tags) {}
