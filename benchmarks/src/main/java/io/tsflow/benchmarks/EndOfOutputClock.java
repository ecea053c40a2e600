package io.tsflow.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that drops its records, counts them, and notes when the last of its writers reached the
 * end of its input: the moment a bounded job has produced all its output, before the final
 * checkpoint that a finished job still waits for (up to one checkpoint interval, which is noise,
 * not work). The harness shares the MiniCluster's JVM, so the time is a static; one job at a time.
 */
public final class EndOfOutputClock<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final AtomicLong END_NANOS = new AtomicLong();
    private static final AtomicLong RECORDS = new AtomicLong();

    /** Forgets the previous job's end and count; call before submitting the next. */
    public static void reset() {
        END_NANOS.set(0);
        RECORDS.set(0);
    }

    /** How many records the job's writers received. */
    public static long records() {
        return RECORDS.get();
    }

    /** When the last writer saw the end of its input ({@link System#nanoTime}), 0 if none has. */
    public static long endNanos() {
        return END_NANOS.get();
    }

    @Override
    @Deprecated
    public SinkWriter<T> createWriter(InitContext context) {
        return new Writer<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>();
    }

    private static final class Writer<T> implements SinkWriter<T> {
        @Override
        public void write(T element, Context context) {
            RECORDS.incrementAndGet();
        }

        @Override
        public void flush(boolean endOfInput) {
            if (endOfInput) {
                END_NANOS.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }

        @Override
        public void close() {}
    }
}
