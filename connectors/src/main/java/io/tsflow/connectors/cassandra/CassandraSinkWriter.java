package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes asynchronously with a bounded number of statements in flight. A failed statement is
 * retried with exponential backoff while it holds its permit, so back-pressure reaches the source
 * when Cassandra is slow or down. When a statement has failed {@code maxAttempts} times, the next
 * write or flush fails the job with {@link CassandraWriteException}.
 *
 * <p>Metrics, under the operator's group: {@code cassandraWrites}, {@code cassandraWriteRetries},
 * {@code cassandraWriteFailures}, {@code cassandraInFlight}, {@code cassandraWriteLatencyMs}.
 */
class CassandraSinkWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraSinkWriter.class);

    private final CassandraSettings settings;
    private final CassandraStatementMapper<T> mapper;
    private final CqlSession session;
    private final Semaphore permits;
    private final ScheduledExecutorService retries;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Counter writes;
    private final Counter retried;
    private final Counter failed;
    private final Histogram latency;

    CassandraSinkWriter(
            CassandraSettings settings,
            CassandraStatementMapper<T> mapper,
            MetricGroup metrics,
            ClassLoader classLoader)
            throws IOException {
        this.settings = settings;
        this.mapper = mapper;
        this.permits = new Semaphore(settings.maxInFlight());
        try {
            this.session = CqlSessions.open(settings, classLoader);
        } catch (RuntimeException e) {
            throw new IOException(
                    "cannot connect to Cassandra at "
                            + settings.contactPoints()
                            + " (datacenter "
                            + settings.localDatacenter()
                            + "): "
                            + e.getMessage(),
                    e);
        }
        mapper.open(session);
        this.retries =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "cassandra-sink-retries");
                            thread.setDaemon(true);
                            return thread;
                        });
        MetricGroup group = metrics.addGroup("tsflow"); // beside the jobs' own metrics
        this.writes = group.counter("cassandraWrites");
        this.retried = group.counter("cassandraWriteRetries");
        this.failed = group.counter("cassandraWriteFailures");
        this.latency =
                group.histogram(
                        "cassandraWriteLatencyMs", new DescriptiveStatisticsHistogram(1000));
        group.gauge("cassandraInFlight", () -> settings.maxInFlight() - permits.availablePermits());
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        throwIfFailed();
        IOException[] interrupted = new IOException[1];
        mapper.statementsFor(
                element,
                statement -> {
                    try {
                        acquire(1);
                        send(statement, 1, System.nanoTime());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        interrupted[0] =
                                new IOException("interrupted while writing to Cassandra", e);
                    } catch (IOException e) {
                        interrupted[0] = e;
                    }
                });
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
    }

    /**
     * Waits until every write sent so far is acknowledged; called before each checkpoint and at the
     * end.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        acquire(settings.maxInFlight());
        permits.release(settings.maxInFlight());
        throwIfFailed();
    }

    private void acquire(int count) throws IOException, InterruptedException {
        while (!permits.tryAcquire(count, 50, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
    }

    private void send(Statement<?> statement, int attempt, long startNanos) {
        session.executeAsync(statement)
                .whenComplete(
                        (result, error) -> {
                            if (error == null) {
                                writes.inc();
                                latency.update(
                                        TimeUnit.NANOSECONDS.toMillis(
                                                System.nanoTime() - startNanos));
                                permits.release();
                            } else if (attempt < settings.maxAttempts() && isRetryable(error)) {
                                retried.inc();
                                long delay = backoffMillis(attempt);
                                LOG.warn(
                                        "Cassandra write failed (attempt {}/{}), retrying in {} ms:"
                                                + " {}",
                                        attempt,
                                        settings.maxAttempts(),
                                        delay,
                                        error.toString());
                                retries.schedule(
                                        () -> send(statement, attempt + 1, startNanos),
                                        delay,
                                        TimeUnit.MILLISECONDS);
                            } else {
                                failed.inc();
                                failure.compareAndSet(
                                        null,
                                        new CassandraWriteException(
                                                "Cassandra write failed after "
                                                        + attempt
                                                        + " attempt(s) over "
                                                        + Duration.ofNanos(
                                                                        System.nanoTime()
                                                                                - startNanos)
                                                                .toMillis()
                                                        + " ms against "
                                                        + settings.contactPoints()
                                                        + "; last error: "
                                                        + error,
                                                error));
                                permits.release();
                            }
                        });
    }

    private long backoffMillis(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long delay = initial << Math.min(attempt - 1, 20);
        return Math.min(delay, settings.maxBackoff().toMillis());
    }

    private static boolean isRetryable(Throwable error) {
        return !(error instanceof QueryValidationException
                || error instanceof CodecNotFoundException
                || error instanceof IllegalArgumentException);
    }

    private void throwIfFailed() throws IOException {
        Throwable error = failure.get();
        if (error != null) {
            throw error instanceof IOException io ? io : new IOException(error);
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        session.close();
    }
}
