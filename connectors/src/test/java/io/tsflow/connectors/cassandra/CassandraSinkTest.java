package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.flink.TestClusters;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Sink V2 against the real Cassandra node, inside a MiniCluster at parallelism 2. */
class CassandraSinkTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final String KEYSPACE = TestCassandra.uniqueKeyspace("sink");
    private static CqlSession session;

    @BeforeAll
    static void createSchema() {
        session = TestCassandra.session(LocalServers.get().cassandraContact());
        createItems(session, KEYSPACE, 1);
        createItems(session, KEYSPACE, 1); // applying again is harmless
    }

    /**
     * Keyspace {@code keyspace} with table {@code items (id, label)}, {@code replicas} copies of
     * each row: more than the one node has makes every write Unavailable, a retryable error that
     * lasts until the keyspace is altered, as when replicas stay down.
     */
    static void createItems(CqlSession session, String keyspace, int replicas) {
        CqlScript.apply(
                session,
                "cql/test-schema.cql",
                Map.of(
                        "keyspace",
                        keyspace,
                        "replication",
                        "{'class': 'SimpleStrategy', 'replication_factor': " + replicas + "}"));
    }

    @AfterAll
    static void close() {
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    /** As a plain sink, a refusal fails the job: it never asks for a dead letter. */
    static Rejected noRefusal(Long item, Throwable reason) {
        throw new AssertionError("a plain sink asked for the dead letter of " + item, reason);
    }

    /** Stores (id, "item-id"). */
    static final class ItemMapper implements CassandraStatementMapper<Long> {
        private final String keyspace;
        private transient PreparedStatement insert;

        ItemMapper(String keyspace) {
            this.keyspace = keyspace;
        }

        @Override
        public void open(CqlSession session) {
            insert =
                    session.prepare("INSERT INTO " + keyspace + ".items (id, label) VALUES (?, ?)");
        }

        @Override
        public void statementsFor(Long element, Consumer<Statement<?>> out) {
            out.accept(insert.bind(element, "item-" + element));
        }
    }

    @Test
    void storesEveryElementAndReplaysAreIdempotent() throws Exception {
        CassandraSettings settings =
                CassandraSettings.local(LocalServers.get().cassandraContact(), KEYSPACE);
        for (int run = 0; run < 2; run++) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
            env.fromSequence(1, 5_000)
                    .sinkTo(
                            new CassandraSink<>(
                                    settings,
                                    new ItemMapper(KEYSPACE),
                                    CassandraSinkTest::noRefusal));
            env.execute("cassandra-sink-test");
        }
        assertThat(session.execute("SELECT count(*) FROM " + KEYSPACE + ".items").one().getLong(0))
                .isEqualTo(5_000);
        assertThat(
                        session.execute("SELECT label FROM " + KEYSPACE + ".items WHERE id = 4242")
                                .one()
                                .getString(0))
                .isEqualTo("item-4242");
    }

    @Test
    void failsClearlyWhenCassandraCannotTakeTheWrites() {
        String keyspace = TestCassandra.uniqueKeyspace("unavailable");
        createItems(session, keyspace, 3);
        CassandraSettings settings =
                CassandraSettings.local(LocalServers.get().cassandraContact(), keyspace)
                        .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(1, 10)
                .sinkTo(
                        new CassandraSink<>(
                                settings, new ItemMapper(keyspace), CassandraSinkTest::noRefusal));
        Throwable failure =
                org.assertj.core.api.Assertions.catchThrowable(() -> env.execute("unavailable"));
        assertThat(ExceptionUtils.findThrowable(failure, CassandraWriteException.class))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.getMessage())
                                        .contains("failed after 3 attempt(s)")
                                        .contains("Unavailable"));
        session.execute("DROP KEYSPACE " + keyspace);
    }

    /**
     * By default a write Cassandra cannot take now is retried without limit: the job waits (its
     * source held back) and resumes on its own once the replicas are there, with the outage logged
     * when it starts and when it ends.
     */
    @Test
    void waitsWithoutLimitWhileCassandraCannotTakeTheWritesAndResumes() throws Exception {
        String keyspace = TestCassandra.uniqueKeyspace("outage");
        createItems(session, keyspace, 3);
        CassandraSettings settings =
                CassandraSettings.local(LocalServers.get().cassandraContact(), keyspace)
                        .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(200));
        try (CapturedLog log = CapturedLog.of(CassandraWriter.class)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.fromSequence(1, 2_000)
                    .sinkTo(
                            new CassandraSink<>(
                                    settings,
                                    new ItemMapper(keyspace),
                                    CassandraSinkTest::noRefusal));
            JobClient job = env.executeAsync("outage");
            await().atMost(Duration.ofMinutes(1)).until(() -> log.contains("does not take writes"));
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            // The replicas come back.
            session.execute(
                    "ALTER KEYSPACE "
                            + keyspace
                            + " WITH replication = {'class': 'SimpleStrategy',"
                            + " 'replication_factor': 1}");
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            assertThat(log.contains("takes writes again")).isTrue();
        }
        assertThat(session.execute("SELECT count(*) FROM " + keyspace + ".items").one().getLong(0))
                .isEqualTo(2_000);
        session.execute("DROP KEYSPACE " + keyspace);
    }

    @Test
    void failsClearlyWhenCassandraIsNotThereAndAttemptsAreLimited() {
        CassandraSettings settings =
                CassandraSettings.local("127.0.0.1:9", KEYSPACE)
                        .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(1, 10)
                .sinkTo(
                        new CassandraSink<>(
                                settings, new ItemMapper(KEYSPACE), CassandraSinkTest::noRefusal));
        Throwable failure =
                org.assertj.core.api.Assertions.catchThrowable(() -> env.execute("absent"));
        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("cannot connect to Cassandra at [127.0.0.1:9]");
    }
}
