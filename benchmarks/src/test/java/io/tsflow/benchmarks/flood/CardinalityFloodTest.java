package io.tsflow.benchmarks.flood;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.testing.LocalServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cardinality flood at the size CI affords, through ingest, rollup and alerts on the real
 * servers, with every limit set low enough to bite: ingest lets 3,000 new series a minute through
 * per subtask, rollup holds 2,000 series per subtask and the stale rule watches 1,000 per subtask.
 * Each limit must hold, what it refuses must be counted as dead letters, the steady rooms must keep
 * their alerts (only the room that fell silent fires), and no job may fail. {@code ./tsflow bench
 * flood} runs the million-series flood with the default limits.
 */
class CardinalityFloodTest {

    private static final FloodSettings SETTINGS =
            new FloodSettings(
                    60_000,
                    Duration.ofSeconds(20),
                    10,
                    3_000,
                    Duration.ZERO,
                    2_000,
                    1_000,
                    // Longer than a checkpoint (and with it the commit the alerts job reads) can
                    // take on a loaded 2-core machine: silence shorter than that is not a sensor's.
                    Duration.ofSeconds(15));

    @Test
    void everyLimitHoldsAndTheRoomsKeepTheirAlerts() throws Exception {
        FloodResult result = new CardinalityFlood(SETTINGS, LocalServers.get()).run();

        assertThat(result.jobStates()).containsOnlyKeys("ingest", "rollup", "alerts");
        assertThat(result.jobStates().values()).containsOnly("RUNNING");
        // Ingest: at most its rate of new series, the rest counted as dead letters.
        assertThat(result.ingestRecordsIn()).isEqualTo(result.recordsSent());
        assertThat(result.ingestObservations() + result.ingestRefusedByLimit())
                .isEqualTo(result.recordsSent());
        long roomPoints = result.recordsSent() - SETTINGS.floodSeries();
        long admittedFlood = result.ingestObservations() - roomPoints;
        assertThat(admittedFlood)
                .isPositive()
                .isLessThanOrEqualTo(
                        SETTINGS.ingestAdmittedBound(
                                Duration.ofMillis(result.ingestGateOpenFor())));
        // Rollup: never more series than its limit; the surplus dead-lettered.
        assertThat(admittedFlood).isGreaterThan(SETTINGS.rollupSeriesBound());
        assertThat(result.rollupOpenSeriesMax())
                .isPositive()
                .isLessThanOrEqualTo(SETTINGS.rollupSeriesBound());
        assertThat(result.rollupRefusedByLimit()).isPositive();
        // Alerts: at most its limit watched, so at most that many FIRING, in the job, in the
        // Alertmanager sink's queue and in Alertmanager.
        assertThat(result.alertsRefusedByLimit()).isPositive();
        assertThat(result.alertsFiringAtTheEnd())
                .isPositive()
                .isLessThanOrEqualTo(SETTINGS.watchedSeriesBound());
        assertThat(result.alertmanagerPendingMax())
                .isLessThanOrEqualTo(SETTINGS.watchedSeriesBound());
        assertThat(result.alertmanagerActive())
                .isPositive()
                .isLessThanOrEqualTo(SETTINGS.watchedSeriesBound());
        assertThat(result.roomAlerts())
                .isEqualTo(
                        Map.of(
                                "building.temperature{gateway=\"steady\",room=\"r0\"}",
                                List.of("FIRING")));
        // State stays in proportion to what the limits let in (heap backend, full snapshots).
        assertThat(result.checkpointBytesMax()).containsOnlyKeys("ingest", "rollup", "alerts");
        assertThat(result.checkpointBytesMax().get("alerts"))
                .isLessThanOrEqualTo(1_048_576 + 2_048 * SETTINGS.watchedSeriesBound());
        assertThat(result.checkpointBytesMax().get("rollup"))
                .isLessThanOrEqualTo(1_048_576 + 4_096 * SETTINGS.rollupSeriesBound());
    }
}
