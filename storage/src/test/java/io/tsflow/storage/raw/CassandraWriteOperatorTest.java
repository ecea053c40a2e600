package io.tsflow.storage.raw;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.connectors.cassandra.WriteOrder;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write operator against the real Cassandra node: what Cassandra refuses as invalid becomes a
 * dead letter, emitted before the next checkpoint barrier, and the writes around it go on.
 */
class CassandraWriteOperatorTest {

    private static final String KEYSPACE = TestCassandra.uniqueKeyspace("refusals");
    private static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00Z in microseconds

    private static CassandraSettings settings;
    private static CqlSession session;

    @BeforeAll
    static void createSchema() {
        settings = CassandraSettings.local(LocalServers.get().cassandraContact(), KEYSPACE);
        RawTable.applySchema(settings);
        session = TestCassandra.session(LocalServers.get().cassandraContact());
    }

    @AfterAll
    static void close() {
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    @Test
    void aKeyCassandraRefusesBecomesOneDeadLetterBeforeTheBarrierAndTheOtherPointsAreStored()
            throws Exception {
        // Cassandra refuses keys over 64 KiB: the point's partition key, and the clustering key
        // of both registry rows, so three statements of this one point are refused.
        String hugeKey = "huge{id=" + "x".repeat(70_000) + "}";
        try (OneInputStreamOperatorTestHarness<Observation, Rejected> harness = harness()) {
            harness.open();
            harness.processElement(new StreamRecord<>(point("ok{id=1}", T0, 1.0), 10L));
            harness.processElement(new StreamRecord<>(point(hugeKey, T0, 2.0), 11L));
            harness.processElement(new StreamRecord<>(point("ok{id=1}", T0 + 1_000_000, 3.0)));

            harness.prepareSnapshotPreBarrier(1);

            List<Rejected> letters = harness.extractOutputValues();
            assertThat(letters).hasSize(1);
            Rejected letter = letters.get(0);
            assertThat(letter.getReason()).isEqualTo("STORAGE_REFUSED");
            assertThat(letter.getJob()).isEqualTo("ingest-normalize");
            assertThat(letter.getMetric()).isEqualTo("huge");
            assertThat(letter.getMessage()).contains("Key length");
            assertThat(letter.getExceptionClass()).endsWith("InvalidQueryException");
            assertThat(StandardCharsets.UTF_8.decode(letter.getOriginal()).toString())
                    .contains(hugeKey);
            assertThat(values("ok{id=1}")).containsExactly(3.0, 1.0);

            // The operator goes on writing after a refusal.
            harness.processElement(new StreamRecord<>(point("ok{id=2}", T0, 4.0)));
            harness.endInput();
            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(values("ok{id=2}")).containsExactly(4.0);
        }
    }

    @Test
    void pointsOfOneSeriesGoInBatchesAndEachKeepsItsOwnWriteTimestamp() throws Exception {
        try (OneInputStreamOperatorTestHarness<Observation, Rejected> harness =
                harness(settings.withWrites(256, 4), WriteOrder.RECORD_TIMESTAMP)) {
            harness.open();
            for (int i = 0; i < 10; i++) {
                harness.processElement(
                        new StreamRecord<>(
                                point("batched{id=1}", T0 + i * 1_000_000L, i), 5_000L + i));
            }
            // The same point sent twice: the later send (record time 7000) wins although an
            // earlier send (record time 6000) is read after it, in the same batch.
            harness.processElement(
                    new StreamRecord<>(point("batched{id=1}", T0 + 20_000_000L, 70.0), 7_000L));
            harness.processElement(
                    new StreamRecord<>(point("batched{id=1}", T0 + 20_000_000L, 60.0), 6_000L));
            harness.prepareSnapshotPreBarrier(1);

            assertThat(harness.extractOutputValues()).isEmpty();
            List<com.datastax.oss.driver.api.core.cql.Row> rows =
                    session.execute(
                                    "SELECT ts_micros, value_double, WRITETIME(value_double) FROM "
                                            + KEYSPACE
                                            + ".observations_raw WHERE series_key ="
                                            + " 'batched{id=1}' ALLOW FILTERING")
                            .all();
            assertThat(rows).hasSize(11);
            for (com.datastax.oss.driver.api.core.cql.Row row : rows) {
                long step = (row.getLong(0) - T0) / 1_000_000L;
                if (step == 20) {
                    assertThat(row.getDouble(1)).isEqualTo(70.0);
                    assertThat(row.getLong(2)).isEqualTo(7_000_000L);
                } else {
                    assertThat(row.getDouble(1)).isEqualTo((double) step);
                    assertThat(row.getLong(2)).isEqualTo((5_000L + step) * 1000);
                }
            }
        }
    }

    @Test
    void rowsHeldForABatchAreSentWithinATenthOfASecondWithoutACheckpoint() throws Exception {
        try (OneInputStreamOperatorTestHarness<Observation, Rejected> harness =
                harness(settings.withWrites(256, 32), WriteOrder.ARRIVAL)) {
            harness.setProcessingTime(0);
            harness.open();
            harness.processElement(new StreamRecord<>(point("held{id=1}", T0, 1.0)));
            harness.processElement(new StreamRecord<>(point("held{id=1}", T0 + 1_000_000, 2.0)));
            // Two rows of one partition wait for thirty more; the registry rows went alone.
            assertThat(values("held{id=1}")).isEmpty();

            harness.setProcessingTime(100);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (values("held{id=1}").size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(values("held{id=1}")).containsExactly(2.0, 1.0);
        }
    }

    @Test
    void aPointTheMapperCannotBindBecomesADeadLetter() throws Exception {
        try (OneInputStreamOperatorTestHarness<Observation, Rejected> harness = harness()) {
            harness.open();
            Observation noValueColumn = point("odd{id=2}", T0, 1.0);
            noValueColumn.setValue(new int[0]); // no column takes it
            harness.processElement(new StreamRecord<>(noValueColumn));
            harness.processElement(new StreamRecord<>(point("odd{id=3}", T0, 5.0)));
            harness.prepareSnapshotPreBarrier(1);

            List<Rejected> letters = harness.extractOutputValues();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).getReason()).isEqualTo("STORAGE_REFUSED");
            assertThat(letters.get(0).getExceptionClass())
                    .isEqualTo(IllegalArgumentException.class.getName());
            assertThat(values("odd{id=3}")).containsExactly(5.0);
        }
    }

    private static OneInputStreamOperatorTestHarness<Observation, Rejected> harness()
            throws Exception {
        return harness(settings, WriteOrder.RECORD_TIMESTAMP);
    }

    private static OneInputStreamOperatorTestHarness<Observation, Rejected> harness(
            CassandraSettings writes, WriteOrder order) throws Exception {
        CassandraSink<Observation> sink =
                RawTable.sink(writes, StorageSettings.defaults(), order, "ingest-normalize");
        return new OneInputStreamOperatorTestHarness<>(sink.operator());
    }

    private static Observation point(String seriesKey, long micros, double value) {
        String metric = seriesKey.substring(0, seriesKey.indexOf('{'));
        return new Observation(
                seriesKey,
                metric,
                Map.of(
                        "id",
                        seriesKey.substring(seriesKey.indexOf('=') + 1, seriesKey.length() - 1)),
                "tdouble",
                micros,
                value,
                Origin.MEASURED,
                null);
    }

    /** The stored values of {@code seriesKey}, newest first. */
    private static List<Double> values(String seriesKey) {
        return session
                .execute(
                        "SELECT value_double FROM "
                                + KEYSPACE
                                + ".observations_raw WHERE series_key = ? ALLOW FILTERING",
                        seriesKey)
                .all()
                .stream()
                .map(row -> row.getDouble(0))
                .toList();
    }
}
