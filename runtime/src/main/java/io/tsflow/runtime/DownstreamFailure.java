package io.tsflow.runtime;

import org.apache.flink.util.Collector;

/**
 * An exception thrown while a record's results were handed on: Flink runs chained operators and
 * sink writers inside {@code collect}, so their failures (a Kafka or Cassandra writer that cannot
 * write, an injected failure) surface in the emitting function. Wrapped in this, they pass the
 * function's per-record guard and fail the task as they must, instead of being taken for the
 * record's fault and dead-lettered.
 */
public final class DownstreamFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private DownstreamFailure(RuntimeException cause) {
        super(cause);
    }

    /** The exception as it was thrown downstream, to be rethrown. */
    public RuntimeException original() {
        return (RuntimeException) getCause();
    }

    /** {@code out}, with what its {@code collect} throws marked as a downstream failure. */
    public static <T> Collector<T> marking(Collector<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                try {
                    out.collect(record);
                } catch (RuntimeException e) {
                    throw new DownstreamFailure(e);
                }
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }

    /** Runs {@code emit} (a side output, an output callback), marking what it throws. */
    public static void marking(Runnable emit) {
        try {
            emit.run();
        } catch (RuntimeException e) {
            throw new DownstreamFailure(e);
        }
    }

    /** Work of a function on one record or timer. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** What a function does when its own code fails on a record or a timer. */
    @FunctionalInterface
    public interface Recovery {
        void recover(RuntimeException failure) throws Exception;
    }

    /**
     * Runs {@code work}, isolating the function's own failures: an exception it throws goes to
     * {@code recovery} (which dead-letters the record, or drops the series a timer was for), while
     * a failure downstream, marked by {@link #marking}, is rethrown as it was and fails the task.
     */
    public static void isolate(Work work, Recovery recovery) throws Exception {
        try {
            work.run();
        } catch (DownstreamFailure e) {
            throw e.original();
        } catch (RuntimeException e) {
            recovery.recover(e);
        }
    }
}
