package io.tsflow.testing.flink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes elements through and fails its first attempt once a checkpoint has completed and {@code
 * elementsAfterCheckpoint} more elements arrived: a failure mid-stream for graphs whose sinks
 * commit in two phases (Kafka), which {@link FailOnceSink} cannot wrap. {@link #failures(String)}
 * tells a test whether the failure really happened.
 */
public class FailOnceMap<T> extends RichMapFunction<T, T> implements CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private final String name;
    private final int elementsAfterCheckpoint;
    private transient boolean checkpointed;
    private transient int since;

    public FailOnceMap(String name, int elementsAfterCheckpoint) {
        this.name = name;
        this.elementsAfterCheckpoint = elementsAfterCheckpoint;
        FAILURES.put(name, new AtomicInteger());
    }

    public static int failures(String name) {
        return FAILURES.getOrDefault(name, new AtomicInteger()).get();
    }

    @Override
    public T map(T element) throws Exception {
        if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                && checkpointed
                && ++since >= elementsAfterCheckpoint) {
            FAILURES.get(name).incrementAndGet();
            throw new IllegalStateException("injected failure in " + name + " (attempt 0)");
        }
        return element;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
