package io.tsflow.benchmarks.flood;

import java.time.Duration;

/**
 * One cardinality flood: {@code floodSeries} one-off series (one reading each, a distinct tag value
 * per reading) produced to topic raw evenly over {@code floodFor}, among {@code rooms} steady
 * series that report every second (room r0 falls silent half-way), and the limits of the three jobs
 * that meet it: ingest's {@code ingest.newSeries} ({@code perMinute}, {@code startupGrace}),
 * rollup's {@code maxSeriesPerSubtask} and alerts' {@code maxSeriesPerRule}, with one stale rule
 * ({@code staleAfter}) over the flooded metric.
 */
public record FloodSettings(
        int floodSeries,
        Duration floodFor,
        int rooms,
        long ingestNewSeriesPerMinute,
        Duration ingestStartupGrace,
        long rollupMaxSeriesPerSubtask,
        long alertsMaxSeriesPerRule,
        Duration staleAfter) {

    /** Every job runs at this parallelism, so every limit counts this many times. */
    public static final int PARALLELISM = 2;

    /** The most series ingest can let through: a minute's worth at once, then its rate. */
    public long ingestAdmittedBound(Duration gateOpenFor) {
        double minutes = gateOpenFor.toMillis() / 60_000.0;
        return (long) Math.ceil(PARALLELISM * ingestNewSeriesPerMinute * (1 + minutes));
    }

    /** The most series rollup holds state for. */
    public long rollupSeriesBound() {
        return PARALLELISM * rollupMaxSeriesPerSubtask;
    }

    /** The most series the stale rule watches, so the most alerts it can have FIRING. */
    public long watchedSeriesBound() {
        return PARALLELISM * alertsMaxSeriesPerRule;
    }
}
