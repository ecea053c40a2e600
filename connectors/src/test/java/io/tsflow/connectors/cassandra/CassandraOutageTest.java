package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The outage a writer reports, on a clock the test drives. */
class CassandraOutageTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void anOutageIsMeasuredAndLoggedOnceAMinuteUntilAWriteSucceeds() {
        try (CapturedLog log = CapturedLog.of(CassandraOutageTest.class)) {
            CassandraOutage outage =
                    new CassandraOutage(
                            LoggerFactory.getLogger(CassandraOutageTest.class),
                            "[db:9042]",
                            now::get);
            assertThat(outage.unavailableMillis()).isZero();
            outage.succeeded(); // nothing to end
            assertThat(log.count("db:9042")).isZero();

            outage.failed(new IllegalStateException("down"));
            assertThat(log.count("does not take writes")).isEqualTo(1);
            // Hundreds of retries within the minute: no more lines.
            for (int i = 0; i < 500; i++) {
                now.addAndGet(100);
                outage.failed(new IllegalStateException("still down"));
            }
            assertThat(outage.unavailableMillis()).isEqualTo(50_000);
            assertThat(log.count("has not taken a write")).isZero();
            now.addAndGet(10_000);
            outage.failed(new IllegalStateException("still down"));
            assertThat(log.count("has not taken a write for 60 s (502 failed attempts)"))
                    .isEqualTo(1);

            now.addAndGet(5_000);
            outage.succeeded();
            assertThat(outage.unavailableMillis()).isZero();
            assertThat(log.count("takes writes again after 65 s (502 failed attempts)"))
                    .isEqualTo(1);
            // A new outage starts afresh.
            outage.failed(new IllegalStateException("down again"));
            assertThat(log.count("does not take writes")).isEqualTo(2);
            assertThat(outage.unavailableMillis()).isEqualTo(1);
        }
    }
}
