package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes elements asynchronously with a bounded number of statements in flight; shared by {@link
 * CassandraSink}'s writer and {@link CassandraWriteOperator}. A statement that fails for a reason
 * that can pass (Cassandra down, unreachable, overloaded, timing out, refusing the credentials) is
 * retried with exponential backoff while it holds its permit, without limit by default: the writer
 * then stops taking elements, and back-pressure holds the sources until Cassandra is back ({@link
 * CassandraOutage} logs it once a minute). The same holds for the connection at start. With {@code
 * maxAttempts} set, a statement that failed that often fails the job with {@link
 * CassandraWriteException} instead.
 *
 * <p>Each statement gets its write timestamp once, before its first attempt, as {@link WriteOrder}
 * says (unless its mapper set one): a retry re-sends the same timestamp, so an older write retried
 * after a newer one of the same row cannot overwrite it.
 *
 * <p>An element Cassandra refuses as invalid (a key over 64 KiB, a value its column cannot take),
 * or that its mapper cannot bind, is the element's fault, not an outage: it goes to the {@link
 * Refusals} given with it, once however many of its statements were refused. Without one, it fails
 * the job with {@link CassandraWriteException}.
 *
 * <p>Rows of one partition that carry their own write timestamp wait in {@link PartitionBatches}
 * until their partition has {@code batchRows} of them, until {@code batchRows x maxInFlight} rows
 * wait in all, until the owner calls {@link #sendHeldPartitions()} (the write operator does every
 * 100 ms) or {@link #flush()} (at the latest, each checkpoint), and go as one unlogged batch: one
 * request for many rows, which is what lets one node take more rows per second.
 *
 * <p>Metrics, under the operator's group: {@code cassandraWrites} (rows), {@code cassandraBatches},
 * {@code cassandraWriteRetries}, {@code cassandraWriteFailures}, {@code cassandraWritesRefused},
 * {@code cassandraInFlight}, {@code cassandraWriteLatencyMs}, {@code cassandraUnavailableMs} (how
 * long the current outage has lasted, 0 if none).
 */
final class CassandraWriter<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraWriter.class);

    /** Where an element goes that Cassandra refused; called from the driver's threads. */
    interface Refusals<T> {
        void refused(T element, Throwable reason);
    }

    /** How a writer opens its session: tests put a fault in front of the real one. */
    interface SessionOpener extends Serializable {
        CqlSession open(CassandraSettings settings, ClassLoader classLoader);
    }

    private final CassandraSettings settings;
    private final CassandraStatementMapper<T> mapper;
    private final CqlSession session;
    private final Semaphore permits;
    private final ScheduledExecutorService retries;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Counter writes;
    private final Counter retried;
    private final Counter failed;
    private final Counter refused;
    private final Histogram latency;
    private final CassandraOutage outage;
    private final WriteTimestamps timestamps;
    private final PartitionBatches<Refusal<T>> batches;
    private final Counter batchesSent;

    CassandraWriter(
            CassandraSettings settings,
            CassandraStatementMapper<T> mapper,
            WriteOrder order,
            MetricGroup metrics,
            ClassLoader classLoader,
            SessionOpener opener)
            throws IOException {
        this.settings = settings;
        this.mapper = mapper;
        this.timestamps = new WriteTimestamps(order);
        this.permits = new Semaphore(settings.maxInFlight());
        this.batches =
                new PartitionBatches<>(
                        settings.batchRows(), settings.batchRows() * settings.maxInFlight());
        this.outage =
                new CassandraOutage(
                        LOG, settings.contactPoints().toString(), System::currentTimeMillis);
        MetricGroup group = metrics.addGroup("tsflow"); // beside the jobs' own metrics
        this.writes = group.counter("cassandraWrites");
        this.retried = group.counter("cassandraWriteRetries");
        this.failed = group.counter("cassandraWriteFailures");
        this.refused = group.counter("cassandraWritesRefused");
        this.batchesSent = group.counter("cassandraBatches");
        this.latency =
                group.histogram(
                        "cassandraWriteLatencyMs", new DescriptiveStatisticsHistogram(1000));
        group.gauge("cassandraInFlight", () -> settings.maxInFlight() - permits.availablePermits());
        group.gauge("cassandraUnavailableMs", outage::unavailableMillis);
        this.session = connect(settings, classLoader, opener);
        mapper.open(session);
        this.retries =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "cassandra-sink-retries");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Opens the session, waiting with backoff while Cassandra cannot be reached (without limit
     * unless {@code maxAttempts} is set); a cancelled task interrupts the wait.
     */
    private CqlSession connect(
            CassandraSettings settings, ClassLoader classLoader, SessionOpener opener)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                CqlSession opened = opener.open(settings, classLoader);
                outage.succeeded();
                return opened;
            } catch (RuntimeException e) {
                if (settings.maxAttempts() > 0 && attempt >= settings.maxAttempts()) {
                    throw new IOException(
                            "cannot connect to Cassandra at "
                                    + settings.contactPoints()
                                    + " (datacenter "
                                    + settings.localDatacenter()
                                    + "): "
                                    + e.getMessage(),
                            e);
                }
                outage.failed(e);
                try {
                    Thread.sleep(backoffMillis(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while connecting to Cassandra", e);
                }
            }
        }
    }

    /**
     * Sends the statements of {@code element}, waiting for permits while too many are in flight.
     * {@code refusals} may be null: a refusal then fails the job.
     */
    void write(T element, Long recordTimestamp, Refusals<T> refusals)
            throws IOException, InterruptedException {
        throwIfFailed();
        long micros = timestamps.forElement(recordTimestamp);
        Refusal<T> refusal = new Refusal<>(element, refusals);
        IOException[] interrupted = new IOException[1];
        try {
            mapper.statementsFor(
                    element,
                    statement -> {
                        if (interrupted[0] != null) {
                            return;
                        }
                        try {
                            Statement<?> stamped = WriteTimestamps.stamp(statement, micros);
                            List<PartitionBatches.Pending<Refusal<T>>> held =
                                    stamped instanceof BoundStatement bound
                                            ? batches.offer(bound, refusal)
                                            : null;
                            if (held == null) {
                                acquire(1);
                                send(stamped, refusal, 1, nanos(), permits::release);
                            } else if (!held.isEmpty()) {
                                sendPartition(held);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            interrupted[0] =
                                    new IOException("interrupted while writing to Cassandra", e);
                        } catch (IOException e) {
                            interrupted[0] = e;
                        }
                    });
        } catch (RuntimeException unbindable) {
            // The mapper could not make a statement of it: the element's fault, as a refusal.
            refuse(refusal, unbindable, 0, nanos());
        }
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
        if (batches.isFull()) {
            sendHeldPartitions();
        }
        throwIfFailed();
    }

    /** Sends the rows held for batches, then waits until every write is acknowledged or refused. */
    void flush() throws IOException, InterruptedException {
        sendHeldPartitions();
        acquire(settings.maxInFlight());
        permits.release(settings.maxInFlight());
        throwIfFailed();
    }

    private void acquire(int count) throws IOException, InterruptedException {
        while (!permits.tryAcquire(count, 50, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
    }

    /** Sends the rows held for batches now, each partition's as one batch. */
    void sendHeldPartitions() throws IOException, InterruptedException {
        for (List<PartitionBatches.Pending<Refusal<T>>> partition : batches.drain()) {
            sendPartition(partition);
        }
    }

    /** Sends the rows of one partition, as one unlogged batch if there are several. */
    private void sendPartition(List<PartitionBatches.Pending<Refusal<T>>> rows)
            throws IOException, InterruptedException {
        acquire(1);
        if (rows.size() == 1) {
            send(rows.get(0).statement(), rows.get(0).element(), 1, nanos(), permits::release);
            return;
        }
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        for (PartitionBatches.Pending<Refusal<T>> row : rows) {
            batch.addStatement(row.statement());
        }
        sendBatch(batch.setIdempotence(true).build(), rows, 1, nanos());
    }

    /** Sends a batch that holds one permit; a refused batch is sent again row by row. */
    private void sendBatch(
            BatchStatement batch,
            List<PartitionBatches.Pending<Refusal<T>>> rows,
            int attempt,
            long startNanos) {
        session.executeAsync(batch)
                .whenComplete(
                        (result, error) -> {
                            if (error == null) {
                                outage.succeeded();
                                writes.inc(rows.size());
                                batchesSent.inc();
                                latency.update(TimeUnit.NANOSECONDS.toMillis(nanos() - startNanos));
                                permits.release();
                            } else if (!isRetryable(error)) {
                                // One of its rows is at fault: alone, each element's own rows
                                // are refused or stored. The batch's permit covers them all.
                                AtomicInteger unfinished = new AtomicInteger(rows.size());
                                Runnable finished =
                                        () -> {
                                            if (unfinished.decrementAndGet() == 0) {
                                                permits.release();
                                            }
                                        };
                                for (PartitionBatches.Pending<Refusal<T>> row : rows) {
                                    send(row.statement(), row.element(), 1, nanos(), finished);
                                }
                            } else if (settings.maxAttempts() == 0
                                    || attempt < settings.maxAttempts()) {
                                retried.inc();
                                outage.failed(error);
                                retries.schedule(
                                        () -> sendBatch(batch, rows, attempt + 1, startNanos),
                                        backoffMillis(attempt),
                                        TimeUnit.MILLISECONDS);
                            } else {
                                fail(error, attempt, startNanos);
                                permits.release();
                            }
                        });
    }

    /** Sends one statement; {@code finished} runs once it is stored, refused or failed. */
    private void send(
            Statement<?> statement,
            Refusal<T> refusal,
            int attempt,
            long startNanos,
            Runnable finished) {
        session.executeAsync(statement)
                .whenComplete(
                        (result, error) -> {
                            if (error == null) {
                                outage.succeeded();
                                writes.inc();
                                latency.update(TimeUnit.NANOSECONDS.toMillis(nanos() - startNanos));
                            } else if (!isRetryable(error)) {
                                refuse(refusal, error, attempt, startNanos);
                            } else if (settings.maxAttempts() == 0
                                    || attempt < settings.maxAttempts()) {
                                retried.inc();
                                outage.failed(error);
                                retries.schedule(
                                        () ->
                                                send(
                                                        statement,
                                                        refusal,
                                                        attempt + 1,
                                                        startNanos,
                                                        finished),
                                        backoffMillis(attempt),
                                        TimeUnit.MILLISECONDS);
                                return; // keeps its permit
                            } else {
                                fail(error, attempt, startNanos);
                            }
                            finished.run();
                        });
    }

    private void refuse(Refusal<T> refusal, Throwable error, int attempt, long startNanos) {
        if (refusal.refusals == null) {
            fail(error, attempt, startNanos);
        } else if (refusal.reported.compareAndSet(false, true)) {
            refused.inc();
            try {
                refusal.refusals.refused(refusal.element, error);
            } catch (RuntimeException e) {
                e.addSuppressed(error);
                fail(e, attempt, startNanos);
            }
        }
    }

    private void fail(Throwable error, int attempt, long startNanos) {
        failed.inc();
        failure.compareAndSet(
                null,
                new CassandraWriteException(
                        "Cassandra write failed after "
                                + attempt
                                + " attempt(s) over "
                                + Duration.ofNanos(nanos() - startNanos).toMillis()
                                + " ms against "
                                + settings.contactPoints()
                                + "; last error: "
                                + error,
                        error));
    }

    private long backoffMillis(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long delay = initial << Math.min(attempt - 1, 20);
        return Math.min(delay, settings.maxBackoff().toMillis());
    }

    /**
     * Whether the error can pass by itself. Refused credentials and permissions are retried: they
     * are the operator's to fix, not the element's fault, and the job resumes once they are.
     */
    private static boolean isRetryable(Throwable error) {
        if (error instanceof UnauthorizedException) {
            return true;
        }
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

    private static long nanos() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        retries.shutdownNow();
        session.close();
    }

    /** One element's statements share it: the element is reported once. */
    private static final class Refusal<T> {
        final T element;
        final Refusals<T> refusals;
        final AtomicBoolean reported = new AtomicBoolean();

        Refusal(T element, Refusals<T> refusals) {
            this.element = element;
            this.refusals = refusals;
        }
    }
}
