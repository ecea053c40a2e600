package io.tsflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import org.apache.flink.streaming.api.TimerService;
import org.junit.jupiter.api.Test;

class SilenceTimerTest {

    /** The processing-time timers set, as a keyed timer service holds them for one key. */
    private static final class RecordingTimers implements TimerService {
        final TreeSet<Long> set = new TreeSet<>();

        @Override
        public long currentProcessingTime() {
            return 0;
        }

        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            set.add(time);
        }

        @Override
        public void registerEventTimeTimer(long time) {
            throw new AssertionError("no event-time timer expected");
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            assertThat(set.remove(time)).as("timer %d was set", time).isTrue();
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            throw new AssertionError("no event-time timer expected");
        }
    }

    // Idleness 60 s in every case below: an arrival at processing time t passes idleAt t + 60 s
    // and renewBefore t + 15 s.

    @Test
    void aFirstArrivalSetsTheTimerAtTheEndOfIdleness() {
        RecordingTimers timers = new RecordingTimers();
        long wakeAt = SilenceTimer.afterArrival(SilenceTimer.NONE, 60_000, 15_000, timers);
        assertThat(wakeAt).isEqualTo(60_000);
        assertThat(timers.set).containsExactly(60_000L);
    }

    @Test
    void anArrivalWithTheTimerMoreThanAQuarterOfAnIdlenessAwayLeavesIt() {
        RecordingTimers timers = new RecordingTimers();
        long wakeAt = SilenceTimer.afterArrival(SilenceTimer.NONE, 60_000, 15_000, timers);
        wakeAt = SilenceTimer.afterArrival(wakeAt, 70_000, 25_000, timers); // at 10 s
        wakeAt = SilenceTimer.afterArrival(wakeAt, 105_000, 60_000, timers); // at 45 s: 15 s away
        assertThat(wakeAt).isEqualTo(60_000);
        assertThat(timers.set).containsExactly(60_000L);
    }

    @Test
    void anArrivalWithTheTimerDueWithinAQuarterOfAnIdlenessMovesItToTheArrivalsIdleness() {
        RecordingTimers timers = new RecordingTimers();
        long wakeAt = SilenceTimer.afterArrival(SilenceTimer.NONE, 60_000, 15_000, timers);
        wakeAt = SilenceTimer.afterArrival(wakeAt, 106_000, 61_000, timers); // at 46 s
        assertThat(wakeAt).isEqualTo(106_000);
        assertThat(timers.set).containsExactly(106_000L);
        // A series sending every 10 s from then on: its timer never comes due while it sends.
        for (long at = 56_000; at <= 600_000; at += 10_000) {
            wakeAt = SilenceTimer.afterArrival(wakeAt, at + 60_000, at + 15_000, timers);
            assertThat(wakeAt).isBetween(at + 15_000, at + 60_000);
            assertThat(timers.set).containsExactly(wakeAt);
        }
    }

    @Test
    void withoutRenewingAnArrivalLeavesATimerDueSoonForTheTimerToMoveItself() {
        RecordingTimers timers = new RecordingTimers();
        long wakeAt = SilenceTimer.afterArrival(SilenceTimer.NONE, 60_000, timers);
        wakeAt = SilenceTimer.afterArrival(wakeAt, 119_000, timers); // at 59 s
        assertThat(wakeAt).isEqualTo(60_000);
        assertThat(timers.set).containsExactly(60_000L);
    }

    @Test
    void anArrivalAfterFallingSilentBringsTheForgettingTimerBackToIdleness() {
        RecordingTimers timers = new RecordingTimers();
        long forgetAt = SilenceTimer.set(86_400_000, timers);
        long wakeAt = SilenceTimer.afterArrival(forgetAt, 3_660_000, 3_615_000, timers);
        assertThat(wakeAt).isEqualTo(3_660_000);
        assertThat(timers.set).containsExactly(3_660_000L);
    }

    @Test
    void clearingRemovesTheTimerSetAndNothingWhenNoneIs() {
        RecordingTimers timers = new RecordingTimers();
        SilenceTimer.clear(SilenceTimer.NONE, timers);
        SilenceTimer.clear(SilenceTimer.set(60_000, timers), timers);
        assertThat(timers.set).isEmpty();
    }
}
