package io.tsflow.benchmarks.flood;

import java.util.List;
import java.util.Map;

/**
 * What a {@link CardinalityFlood} measured. Counts come from the jobs' own metrics, summed over
 * subtasks; sizes are maxima sampled every half second while the flood and its alerts ran.
 *
 * @param recordsSent records produced to raw (flood and rooms)
 * @param ingestRecordsIn records ingest read
 * @param ingestObservations observations ingest wrote
 * @param ingestRefusedByLimit messages ingest dead-lettered as {@code CARDINALITY_LIMIT}
 * @param ingestGateOpenFor milliseconds from ingest's start until it had read the whole flood (its
 *     new-series gate refills for as long as it reads new series)
 * @param rollupOpenSeriesMax the most series rollup held state for ({@code openSeries})
 * @param rollupRefusedByLimit points rollup dead-lettered as {@code CARDINALITY_LIMIT}
 * @param alertsRefusedByLimit points alerts dead-lettered as {@code CARDINALITY_LIMIT}
 * @param alertsFired FIRING changes the stale rule made ({@code alertsFired})
 * @param alertsResolved RESOLVED changes it made ({@code alertsResolved}): a room that looked
 *     silent and reported again
 * @param roomAlerts the alert changes of the steady rooms, series key to statuses in order
 * @param alertmanagerActive alerts of the rule active in Alertmanager at the end
 * @param alertmanagerPendingMax the most deliveries the Alertmanager sink held queued
 * @param checkpointBytesMax the largest completed checkpoint of each job, by job
 * @param heapUsedMax the harness JVM's most used heap (the three jobs, the producer and this)
 * @param heapAfterGc its used heap after a full GC at the end, the jobs still running
 * @param jobStates each job's state at the end, by job
 */
public record FloodResult(
        long recordsSent,
        long ingestRecordsIn,
        long ingestObservations,
        long ingestRefusedByLimit,
        long ingestGateOpenFor,
        long rollupOpenSeriesMax,
        long rollupRefusedByLimit,
        long alertsRefusedByLimit,
        long alertsFired,
        long alertsResolved,
        Map<String, List<String>> roomAlerts,
        long alertmanagerActive,
        long alertmanagerPendingMax,
        Map<String, Long> checkpointBytesMax,
        long heapUsedMax,
        long heapAfterGc,
        Map<String, String> jobStates) {

    /** Alerts FIRING at the end: what the limit bounds (a series can fire, resolve and fire). */
    public long alertsFiringAtTheEnd() {
        return alertsFired - alertsResolved;
    }
}
