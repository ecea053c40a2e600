package io.tsflow.runtime;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * A count one parallel subtask keeps across checkpoints, for limits no keyed state can answer (how
 * many series this subtask holds state for). Kept as operator list state: at the same parallelism a
 * subtask gets its own count back; after a change of parallelism the counts are spread over the new
 * subtasks and only their sum stays right.
 */
public final class SubtaskCounter implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private transient ListState<Long> state;
    private transient long count;

    public SubtaskCounter(String name) {
        this.name = name;
    }

    /** From the function's {@code initializeState}. */
    public void initialize(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(name, Long.class));
        count = 0;
        for (Long restored : state.get()) {
            count += restored;
        }
    }

    /** From the function's {@code snapshotState}. */
    public void snapshot() throws Exception {
        state.update(List.of(count));
    }

    public long get() {
        return count;
    }

    public void increment() {
        count++;
    }

    /** Never below zero: a count spread over other subtasks by a rescale can be short here. */
    public void decrement() {
        count = Math.max(0, count - 1);
    }
}
