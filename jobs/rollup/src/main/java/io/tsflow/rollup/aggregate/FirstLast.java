package io.tsflow.rollup.aggregate;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Count, first and last point of a bucket, for every type. Points are added in time order and
 * buckets are merged in time order ({@link #mergeAfter}), so "first" and "last" are by event time.
 */
public final class FirstLast {

    private long count;
    private long firstMicros;
    private Object first;
    private long lastMicros;
    private Object last;

    /** A summary already computed (the level below's bucket). */
    public static FirstLast of(
            long count, long firstMicros, Object first, long lastMicros, Object last) {
        FirstLast summary = new FirstLast();
        summary.count = count;
        summary.firstMicros = firstMicros;
        summary.first = first;
        summary.lastMicros = lastMicros;
        summary.last = last;
        return summary;
    }

    void writeTo(DataOutputView out) throws IOException {
        out.writeLong(count);
        out.writeLong(firstMicros);
        ValueCodec.write(first, out);
        out.writeLong(lastMicros);
        ValueCodec.write(last, out);
    }

    static FirstLast readFrom(DataInputView in) throws IOException {
        FirstLast summary = new FirstLast();
        summary.count = in.readLong();
        summary.firstMicros = in.readLong();
        summary.first = ValueCodec.read(in);
        summary.lastMicros = in.readLong();
        summary.last = ValueCodec.read(in);
        return summary;
    }

    public void add(long micros, Object value) {
        if (count == 0) {
            firstMicros = micros;
            first = value;
        }
        count++;
        lastMicros = micros;
        last = value;
    }

    /** Folds in the bucket that follows this one in time. */
    public void mergeAfter(FirstLast later) {
        if (later.count == 0) {
            return;
        }
        if (count == 0) {
            firstMicros = later.firstMicros;
            first = later.first;
        }
        count += later.count;
        lastMicros = later.lastMicros;
        last = later.last;
    }

    public long count() {
        return count;
    }

    public long firstMicros() {
        return firstMicros;
    }

    public Object first() {
        return first;
    }

    public long lastMicros() {
        return lastMicros;
    }

    public Object last() {
        return last;
    }
}
