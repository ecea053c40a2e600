package io.tsflow.query;

/** One value of a series at a time, in microseconds; {@code value} is NaN when absent. */
public record Point(long micros, double value) {}
