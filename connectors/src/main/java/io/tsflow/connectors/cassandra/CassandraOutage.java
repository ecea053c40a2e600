package io.tsflow.connectors.cassandra;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Whether Cassandra is taking a writer's statements: an outage starts at the first failure after a
 * success (or before any) and ends at the next success. While it lasts, one log line a minute says
 * for how long and what failed last, instead of a line per retried statement; its end is logged
 * once. Thread-safe: the driver's threads report, the metrics thread reads.
 */
final class CassandraOutage {

    static final long LOG_EVERY_MILLIS = 60_000;

    private final Logger log;
    private final String target;
    private final LongSupplier clock;
    private volatile long since = -1;
    private long lastLogged;
    private long failures;

    CassandraOutage(Logger log, String target, LongSupplier clock) {
        this.log = log;
        this.target = target;
        this.clock = clock;
    }

    /** A statement (or a connection attempt) failed with a retryable error. */
    synchronized void failed(Throwable error) {
        long now = clock.getAsLong();
        failures++;
        if (since < 0) {
            since = now;
            lastLogged = now;
            log.warn(
                    "Cassandra at {} does not take writes: {}; retrying without limit, the job"
                            + " waits (back-pressure)",
                    target,
                    error.toString());
        } else if (now - lastLogged >= LOG_EVERY_MILLIS) {
            lastLogged = now;
            log.warn(
                    "Cassandra at {} has not taken a write for {} s ({} failed attempts); last"
                            + " error: {}",
                    target,
                    (now - since) / 1000,
                    failures,
                    error.toString());
        }
    }

    /** A statement was acknowledged. */
    void succeeded() {
        if (since >= 0) { // the common case reads one volatile and takes no lock
            recovered();
        }
    }

    private synchronized void recovered() {
        if (since >= 0) {
            log.info(
                    "Cassandra at {} takes writes again after {} s ({} failed attempts)",
                    target,
                    (clock.getAsLong() - since) / 1000,
                    failures);
            since = -1;
            failures = 0;
        }
    }

    /** How long the current outage has lasted, 0 if there is none: the gauge. */
    synchronized long unavailableMillis() {
        return since < 0 ? 0 : Math.max(1, clock.getAsLong() - since);
    }
}
