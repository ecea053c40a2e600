package io.tsflow.rollup.time;

/** A bucket {@code [startMicros, endMicros)}, labelled by its start. */
public record Bucket(long startMicros, long endMicros) {

    public boolean contains(long micros) {
        return micros >= startMicros && micros < endMicros;
    }

    public long lengthMicros() {
        return endMicros - startMicros;
    }
}
