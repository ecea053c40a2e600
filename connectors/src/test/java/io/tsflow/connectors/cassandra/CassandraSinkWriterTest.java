package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Write order under retries, against the real node: the session is the real one behind a fault that
 * fails the first attempt of one chosen write and holds its retry until a later write of the same
 * row is acknowledged. The row must keep the later write.
 */
class CassandraSinkWriterTest {

    private static final String KEYSPACE = TestCassandra.uniqueKeyspace("order");
    private static CqlSession session;

    @BeforeAll
    static void createSchema() {
        session = TestCassandra.session(LocalServers.get().cassandraContact());
        CassandraSinkTest.createItems(session, KEYSPACE, 1);
    }

    @AfterAll
    static void close() {
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    /** Element {@code row * 10 + revision} stores (row, "rev-<revision>"). */
    static final class RevisionMapper implements CassandraStatementMapper<Long> {
        private transient PreparedStatement insert;

        @Override
        public void open(CqlSession session) {
            insert =
                    session.prepare("INSERT INTO " + KEYSPACE + ".items (id, label) VALUES (?, ?)");
        }

        @Override
        public void statementsFor(Long element, Consumer<Statement<?>> out) {
            out.accept(insert.bind(element / 10, "rev-" + element % 10));
        }
    }

    /**
     * The real session, except that the first attempt of the write of element {@code failFirst}
     * fails (a timeout, which is retried) and its retry waits until the write of {@code then} is
     * acknowledged.
     */
    private static CassandraWriter.SessionOpener faulty(long failFirst, long then) {
        CompletableFuture<Void> laterAcknowledged = new CompletableFuture<>();
        Map<Long, Integer> attempts = new ConcurrentHashMap<>();
        return (settings, classLoader) -> {
            CqlSession real = CqlSessions.open(settings, classLoader);
            return (CqlSession)
                    Proxy.newProxyInstance(
                            CqlSession.class.getClassLoader(),
                            new Class<?>[] {CqlSession.class},
                            (proxy, method, args) -> {
                                if (method.getName().equals("executeAsync")
                                        && args[0] instanceof BoundStatement bound) {
                                    long element =
                                            bound.getLong(0) * 10
                                                    + Long.parseLong(
                                                            bound.getString(1).substring(4));
                                    int attempt = attempts.merge(element, 1, Integer::sum);
                                    if (element == failFirst && attempt == 1) {
                                        return CompletableFuture.failedFuture(
                                                new DriverTimeoutException("injected"));
                                    }
                                    if (element == failFirst) {
                                        return laterAcknowledged.thenCompose(
                                                done -> real.executeAsync(bound));
                                    }
                                    CompletionStage<AsyncResultSet> result =
                                            real.executeAsync(bound);
                                    if (element == then) {
                                        result.thenRun(() -> laterAcknowledged.complete(null));
                                    }
                                    return result;
                                }
                                try {
                                    return method.invoke(real, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
        };
    }

    private static CassandraSinkWriter<Long> writer(
            WriteOrder order, CassandraWriter.SessionOpener opener) throws Exception {
        return new CassandraSinkWriter<>(
                new CassandraWriter<>(
                        CassandraSettings.local(LocalServers.get().cassandraContact(), KEYSPACE)
                                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(50)),
                        new RevisionMapper(),
                        order,
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        CassandraSinkWriterTest.class.getClassLoader(),
                        opener));
    }

    private static SinkWriter.Context at(Long timestamp) {
        return new SinkWriter.Context() {
            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return timestamp;
            }
        };
    }

    private static String label(long row) {
        return session.execute("SELECT label FROM " + KEYSPACE + ".items WHERE id = " + row)
                .one()
                .getString(0);
    }

    @Test
    void aRevisionRetriedAfterTheNextOneWasWrittenDoesNotOverwriteIt() throws Exception {
        try (CassandraSinkWriter<Long> writer = writer(WriteOrder.ARRIVAL, faulty(4201, 4202))) {
            writer.write(4201L, at(null));
            writer.write(4202L, at(null));
            writer.flush(false);
        }
        assertThat(label(420)).isEqualTo("rev-2");
    }

    @Test
    void ofTwoSendsOfOnePointTheLaterSentWinsWhateverTheRetries() throws Exception {
        try (CassandraSinkWriter<Long> writer =
                writer(WriteOrder.RECORD_TIMESTAMP, faulty(5301, 5302))) {
            writer.write(5301L, at(1_000L));
            writer.write(5302L, at(2_000L));
            writer.flush(false);
        }
        assertThat(label(530)).isEqualTo("rev-2");
    }

    @Test
    void ofTwoSendsOfOnePointTheLaterSentWinsWhateverTheOrderTheyAreRead() throws Exception {
        try (CassandraSinkWriter<Long> writer =
                writer(WriteOrder.RECORD_TIMESTAMP, CqlSessions::open)) {
            // A catch-up reads the partition with the re-send first.
            writer.write(5402L, at(2_000L));
            writer.write(5401L, at(1_000L));
            writer.flush(false);
        }
        assertThat(label(540)).isEqualTo("rev-2");
    }
}
