package io.tsflow.ingest.normalize;

import java.util.SortedMap;

/**
 * A series after renaming and canonicalization: its metric, sorted trimmed tags, and canonical key.
 */
public record SeriesIdentity(String metric, SortedMap<String, String> tags, String seriesKey) {}
