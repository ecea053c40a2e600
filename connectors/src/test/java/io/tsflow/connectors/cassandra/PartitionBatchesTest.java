package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Grouping rows by partition, with statements prepared by the real node. */
class PartitionBatchesTest {

    private static final String KEYSPACE = TestCassandra.uniqueKeyspace("batches");

    private static CqlSession session;
    private static PreparedStatement stampedInCql;
    private static PreparedStatement namedStamp;
    private static PreparedStatement stampedByProtocol;

    @BeforeAll
    static void prepare() {
        session = TestCassandra.session(LocalServers.get().cassandraContact());
        session.execute(
                "CREATE KEYSPACE "
                        + KEYSPACE
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor':"
                        + " 1}");
        session.execute(
                "CREATE TABLE "
                        + KEYSPACE
                        + ".points (series text, ts bigint, v double, PRIMARY KEY (series, ts))");
        stampedInCql =
                session.prepare(
                        "INSERT INTO "
                                + KEYSPACE
                                + ".points (series, ts, v) VALUES (?, ?, ?) USING TIMESTAMP ?");
        namedStamp =
                session.prepare(
                        "INSERT INTO "
                                + KEYSPACE
                                + ".points (series, ts, v) VALUES (:series, :ts, :v) USING"
                                + " TIMESTAMP :"
                                + CassandraStatementMapper.TIMESTAMP_MARKER);
        stampedByProtocol =
                session.prepare(
                        "INSERT INTO " + KEYSPACE + ".points (series, ts, v) VALUES (?, ?, ?)");
    }

    @AfterAll
    static void close() {
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    private static BoundStatement row(PreparedStatement statement, String series, long ts) {
        return (BoundStatement)
                WriteTimestamps.stamp(
                        statement
                                .boundStatementBuilder()
                                .setString(0, series)
                                .setLong(1, ts)
                                .setDouble(2, ts)
                                .build(),
                        1_000_000L + ts);
    }

    @Test
    void onlyRowsThatCarryTheirTimestampInTheirCqlWait() {
        assertThat(PartitionBatches.batchable(row(stampedInCql, "a", 1))).isTrue();
        assertThat(PartitionBatches.batchable(row(namedStamp, "a", 1))).isTrue();
        BoundStatement alone = row(stampedByProtocol, "a", 1);
        assertThat(PartitionBatches.batchable(alone)).isFalse();
        assertThat(alone.getQueryTimestamp()).isEqualTo(1_000_001L);
        // A timestamp its mapper bound is kept.
        BoundStatement bound = stampedInCql.bind("a", 1L, 1.0, 42L);
        assertThat(((BoundStatement) WriteTimestamps.stamp(bound, 7L)).getLong(3)).isEqualTo(42L);
    }

    @Test
    void aPartitionIsSentWhenItHasABatchAndTheRestWhenDrained() {
        PartitionBatches<String> batches = new PartitionBatches<>(3, 5);
        assertThat(batches.add(row(stampedInCql, "a", 1), "a1")).isNull();
        assertThat(batches.add(row(stampedInCql, "b", 1), "b1")).isNull();
        assertThat(batches.add(row(stampedInCql, "a", 2), "a2")).isNull();
        List<PartitionBatches.Pending<String>> full = batches.add(row(stampedInCql, "a", 3), "a3");
        assertThat(full)
                .extracting(PartitionBatches.Pending::element)
                .containsExactly("a1", "a2", "a3");
        assertThat(full.get(1).statement().getLong(3)).isEqualTo(1_000_002L);
        assertThat(batches.isFull()).isFalse();

        // Another table is another partition, even with the same key.
        assertThat(batches.add(row(namedStamp, "b", 2), "b2 named")).isNull();
        assertThat(batches.add(row(stampedInCql, "c", 1), "c1")).isNull();
        assertThat(batches.add(row(stampedInCql, "d", 1), "d1")).isNull();
        assertThat(batches.add(row(stampedInCql, "e", 1), "e1")).isNull();
        assertThat(batches.isFull()).isTrue();
        List<List<PartitionBatches.Pending<String>>> drained = batches.drain();
        assertThat(drained).hasSize(5);
        assertThat(drained.stream().mapToInt(List::size).sum()).isEqualTo(5);
        assertThat(batches.isFull()).isFalse();
        assertThat(batches.drain()).isEmpty();
    }

    @Test
    void rowsThatDoNotComeTogetherPassAloneForAWhile() {
        PartitionBatches<String> batches = new PartitionBatches<>(32, 1_000);
        for (int series = 0; series < 1_000; series++) {
            assertThat(batches.add(row(stampedInCql, "s" + series, 1), "s")).isNull();
        }
        assertThat(batches.isFull()).isTrue();
        assertThat(batches.drain()).hasSize(1_000);
        assertThat(batches.holding()).isFalse();
        for (int i = 0; i < PartitionBatches.PASSES * 1_000 - 1; i++) {
            batches.passed();
        }
        assertThat(batches.holding()).isFalse();
        batches.passed();
        assertThat(batches.holding()).isTrue();

        // Two rows per partition are worth holding.
        for (int series = 0; series < 500; series++) {
            batches.add(row(stampedInCql, "s" + series, 1), "s");
            batches.add(row(stampedInCql, "s" + series, 2), "s");
        }
        assertThat(batches.drain()).hasSize(500);
        assertThat(batches.holding()).isTrue();
    }
}
