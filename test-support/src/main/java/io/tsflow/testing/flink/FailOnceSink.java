package io.tsflow.testing.flink;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Wraps a sink and fails its first attempt once a checkpoint has been taken and {@code
 * writesAfterCheckpoint} more elements arrived: a failure in the middle of a stream, after some
 * output is committed and before the rest. {@link #failures(String)} tells a test whether the
 * failure really happened. Only for sinks without a committer: wrapping a two-phase committing sink
 * (Kafka) would drop its commits; use {@link FailOnceMap} before it instead.
 */
public class FailOnceSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private final Sink<T> delegate;
    private final String name;
    private final int writesAfterCheckpoint;

    public FailOnceSink(Sink<T> delegate, String name, int writesAfterCheckpoint) {
        this.delegate = delegate;
        this.name = name;
        this.writesAfterCheckpoint = writesAfterCheckpoint;
        FAILURES.put(name, new AtomicInteger());
    }

    public static int failures(String name) {
        return FAILURES.getOrDefault(name, new AtomicInteger()).get();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return wrap(delegate.createWriter(context), context.getTaskInfo().getAttemptNumber());
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return wrap(delegate.createWriter(context), context.getAttemptNumber());
    }

    private SinkWriter<T> wrap(SinkWriter<T> writer, int attempt) {
        return new SinkWriter<>() {
            private boolean checkpointed;
            private int writesSince;

            @Override
            public void write(T element, Context context) throws IOException, InterruptedException {
                writer.write(element, context);
                if (attempt == 0 && checkpointed && ++writesSince >= writesAfterCheckpoint) {
                    FAILURES.get(name).incrementAndGet();
                    throw new IOException("injected failure in " + name + " (attempt 0)");
                }
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
                checkpointed |= !endOfInput;
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }
}
