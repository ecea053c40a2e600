package io.tsflow.common.time;

import java.time.Instant;

/** Microseconds since the epoch, the time unit of every tsflow record. */
public final class Micros {

    private Micros() {}

    public static long of(Instant instant) {
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000);
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    public static long fromMillis(long millis) {
        return Math.multiplyExact(millis, 1_000L);
    }

    public static long toMillis(long micros) {
        return Math.floorDiv(micros, 1_000L);
    }
}
