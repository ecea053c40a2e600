package io.tsflow.rollup.aggregate;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** How many points of a tbool bucket were true. */
public final class BooleanStats {

    private long countTrue;

    public static BooleanStats of(long countTrue) {
        BooleanStats stats = new BooleanStats();
        stats.countTrue = countTrue;
        return stats;
    }

    void writeTo(DataOutputView out) throws IOException {
        out.writeLong(countTrue);
    }

    static BooleanStats readFrom(DataInputView in) throws IOException {
        return of(in.readLong());
    }

    public void add(boolean value) {
        if (value) {
            countTrue++;
        }
    }

    public void mergeAfter(BooleanStats later) {
        countTrue += later.countTrue;
    }

    public long countTrue() {
        return countTrue;
    }
}
