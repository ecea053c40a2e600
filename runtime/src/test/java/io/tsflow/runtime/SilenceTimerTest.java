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

    @Test
    void aFirstArrivalSetsTheTimerAtTheEndOfIdleness() {
        RecordingTimers timers = new RecordingTimers();
        long wakeAt = SilenceTimer.afterArrival(SilenceTimer.NONE, 60_000, timers);
        assertThat(wakeAt).isEqualTo(60_000);
        assertThat(timers.set).containsExactly(60_000L);
    }

    @Test
    void anArrivalBeforeTheTimerLeavesItForTheTimerToMoveItself() {
        RecordingTimers timers = new RecordingTimers();
        long wakeAt = SilenceTimer.afterArrival(SilenceTimer.NONE, 60_000, timers);
        wakeAt = SilenceTimer.afterArrival(wakeAt, 70_000, timers);
        assertThat(wakeAt).isEqualTo(60_000);
        assertThat(timers.set).containsExactly(60_000L);
    }

    @Test
    void anArrivalAfterFallingSilentBringsTheForgettingTimerBackToIdleness() {
        RecordingTimers timers = new RecordingTimers();
        long forgetAt = SilenceTimer.set(86_400_000, timers);
        long wakeAt = SilenceTimer.afterArrival(forgetAt, 3_660_000, timers);
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
