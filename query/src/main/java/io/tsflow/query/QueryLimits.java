package io.tsflow.query;

/** What one query may ask for: series found, and points per series in a response. */
public record QueryLimits(int maxSeries, int maxDataPoints) {}
