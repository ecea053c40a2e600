package io.tsflow.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.common.time.SilenceClock.Stage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SilenceClockTest {

    private final SilenceClock clock =
            new SilenceClock(
                    new SeriesTiming(
                            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(10)));

    @Test
    void aSeriesIsActiveThenIdleThenExpiredAsItsSilenceGrows() {
        clock.observe(1_000);

        assertThat(clock.stageAt(30_999, 1_000)).isEqualTo(Stage.ACTIVE);
        assertThat(clock.stageAt(31_000, 1_000)).isEqualTo(Stage.IDLE);
        assertThat(clock.stageAt(600_999, 1_000)).isEqualTo(Stage.IDLE);
        assertThat(clock.stageAt(601_000, 1_000)).isEqualTo(Stage.EXPIRED);
        assertThat(clock.nextChange(2_000, 1_000)).isEqualTo(31_000);
        assertThat(clock.nextChange(31_000, 1_000)).isEqualTo(601_000);
        assertThat(clock.idleAt(1_000)).isEqualTo(31_000);
        assertThat(clock.renewTimerBefore(1_000)).isEqualTo(8_500);
    }

    @Test
    void silenceCountsFromTheTasksStartAtTheEarliest() {
        // Restored an hour after the series last sent: not idle before the backlog had its chance.
        long restoredAt = 3_600_000;
        clock.observe(restoredAt);

        assertThat(clock.stageAt(restoredAt + 29_999, 0)).isEqualTo(Stage.ACTIVE);
        assertThat(clock.stageAt(restoredAt + 30_000, 0)).isEqualTo(Stage.IDLE);
        assertThat(clock.nextChange(restoredAt, 0)).isEqualTo(restoredAt + 30_000);
        assertThat(clock.observe(restoredAt + 5)).isEqualTo(restoredAt + 5);
        assertThat(clock.stageAt(restoredAt + 29_999, 0))
                .as("a later look at the clock does not restart it")
                .isEqualTo(Stage.ACTIVE);
    }
}
