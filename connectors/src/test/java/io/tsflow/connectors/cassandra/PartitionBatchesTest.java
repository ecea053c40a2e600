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
        PartitionBatches<String> batches = new PartitionBatches<>(32, 1_000);
        assertThat(batches.offer(row(stampedInCql, "a", 1), "positional")).isEmpty();
        assertThat(batches.offer(row(namedStamp, "a", 1), "named")).isEmpty();
        BoundStatement alone = row(stampedByProtocol, "a", 1);
        assertThat(batches.offer(alone, "protocol")).isNull();
        // Batches of one row are no batches: every row goes alone.
        assertThat(new PartitionBatches<String>(1, 1_000).offer(row(stampedInCql, "a", 1), "a"))
                .isNull();
        assertThat(alone.getQueryTimestamp()).isEqualTo(1_000_001L);
        // A timestamp its mapper bound is kept.
        BoundStatement bound = stampedInCql.bind("a", 1L, 1.0, 42L);
        assertThat(((BoundStatement) WriteTimestamps.stamp(bound, 7L)).getLong(3)).isEqualTo(42L);
    }

    @Test
    void aPartitionIsSentWhenItHasABatchAndTheRestWhenDrained() {
        PartitionBatches<String> batches = new PartitionBatches<>(3, 5);
        assertThat(batches.offer(row(stampedInCql, "a", 1), "a1")).isEmpty();
        assertThat(batches.offer(row(stampedInCql, "b", 1), "b1")).isEmpty();
        assertThat(batches.offer(row(stampedInCql, "a", 2), "a2")).isEmpty();
        List<PartitionBatches.Pending<String>> full =
                batches.offer(row(stampedInCql, "a", 3), "a3");
        assertThat(full)
                .extracting(PartitionBatches.Pending::element)
                .containsExactly("a1", "a2", "a3");
        assertThat(full.get(1).statement().getLong(3)).isEqualTo(1_000_002L);
        assertThat(batches.isFull()).isFalse();

        // Another table is another partition, even with the same key.
        assertThat(batches.offer(row(namedStamp, "b", 2), "b2 named")).isEmpty();
        assertThat(batches.offer(row(stampedInCql, "c", 1), "c1")).isEmpty();
        assertThat(batches.offer(row(stampedInCql, "d", 1), "d1")).isEmpty();
        assertThat(batches.offer(row(stampedInCql, "e", 1), "e1")).isEmpty();
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
            assertThat(batches.offer(row(stampedInCql, "s" + series, 1), "s")).isEmpty();
        }
        assertThat(batches.isFull()).isTrue();
        assertThat(batches.drain()).hasSize(1_000);
        // The next PASSES x 1,000 rows go alone, then holding resumes.
        for (int i = 0; i < PartitionBatches.PASSES * 1_000; i++) {
            assertThat(batches.offer(row(stampedInCql, "p" + i, 1), "p")).isNull();
        }
        assertThat(batches.offer(row(stampedInCql, "held", 1), "held")).isEmpty();
        assertThat(batches.drain()).hasSize(1);

        // Two rows per partition are worth holding.
        for (int series = 0; series < 500; series++) {
            batches.offer(row(stampedInCql, "s" + series, 1), "s");
            batches.offer(row(stampedInCql, "s" + series, 2), "s");
        }
        assertThat(batches.drain()).hasSize(500);
        assertThat(batches.offer(row(stampedInCql, "after", 1), "after")).isEmpty();
    }
}
