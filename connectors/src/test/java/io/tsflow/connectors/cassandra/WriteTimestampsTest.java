package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The write timestamps a sink writer fixes, in microseconds. */
class WriteTimestampsTest {

    @Test
    void arrivalOrderNeverGoesBackAndNeverRepeats() {
        WriteTimestamps timestamps = new WriteTimestamps(WriteOrder.ARRIVAL);
        long before = System.currentTimeMillis() * 1000;
        long previous = timestamps.forElement(42L); // a record timestamp is ignored
        assertThat(previous).isGreaterThanOrEqualTo(before);
        for (int i = 0; i < 10_000; i++) {
            long next = timestamps.forElement(null);
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void recordOrderFollowsTheRecordsAndThePointsOfOneMessage() {
        WriteTimestamps timestamps = new WriteTimestamps(WriteOrder.RECORD_TIMESTAMP);
        assertThat(timestamps.forElement(2_000L)).isEqualTo(2_000_000L);
        assertThat(timestamps.forElement(2_000L)).isEqualTo(2_000_001L); // next point, same record
        // An earlier record read later (a catch-up) still loses to the later one.
        assertThat(timestamps.forElement(1_000L)).isEqualTo(1_000_000L);
    }

    @Test
    void aRecordAheadOfTheClockOrWithoutATimestampIsStampedOnArrival() {
        WriteTimestamps timestamps = new WriteTimestamps(WriteOrder.RECORD_TIMESTAMP);
        long tenYearsAhead = System.currentTimeMillis() + 3653L * 86_400_000L;
        long ahead = timestamps.forElement(tenYearsAhead);
        assertThat(ahead).isLessThanOrEqualTo(System.currentTimeMillis() * 1000 + 999);
        long before = System.currentTimeMillis() * 1000;
        assertThat(timestamps.forElement(-1L)).isGreaterThanOrEqualTo(before);
        assertThat(timestamps.forElement(null)).isGreaterThanOrEqualTo(before);
        assertThat(timestamps.forElement(Long.MIN_VALUE)).isGreaterThanOrEqualTo(before);
    }
}
