package io.tsflow.ingest.normalize;

import java.util.Arrays;

/**
 * The series a subtask has seen lately, as 64-bit fingerprints of their keys in two generations of
 * open-addressing hash sets: when the current one is full it becomes the previous one and the one
 * before is forgotten, so memory stays bounded (at most 32 bytes per remembered series) and a
 * series seen again moves forward. Two keys sharing a fingerprint (about one chance in 10^12 per
 * pair at a million series) count as one.
 */
public final class KnownSeries {

    private final int capacity;
    private long[] current;
    private long[] previous;
    private int size;

    /** Remembers at least {@code remember} series (up to twice that). */
    public KnownSeries(int remember) {
        this.capacity = remember;
        this.current = table(remember);
        this.previous = table(1);
    }

    private static long[] table(int entries) {
        // A power of two at least twice the entries: probes stay short.
        int length = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
        return new long[length];
    }

    /** The fingerprint of a series key: FNV-1a over its characters, never 0 (the empty slot). */
    public static long fingerprint(String seriesKey) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < seriesKey.length(); i++) {
            hash ^= seriesKey.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }

    /**
     * Whether the series is remembered; one remembered only by the previous generation moves into
     * the current one.
     */
    public boolean seen(long fingerprint) {
        if (current[slot(current, fingerprint)] == fingerprint) {
            return true;
        }
        if (previous[slot(previous, fingerprint)] != fingerprint) {
            return false;
        }
        add(fingerprint);
        return true;
    }

    /** Remembers {@code fingerprint} in the current generation. */
    public void add(long fingerprint) {
        int at = slot(current, fingerprint);
        if (current[at] == fingerprint) {
            return;
        }
        if (size >= capacity) {
            previous = current;
            current = table(capacity);
            size = 0;
            at = slot(current, fingerprint);
        }
        current[at] = fingerprint;
        size++;
    }

    /** Every fingerprint remembered, for a checkpoint. */
    public long[] fingerprints() {
        long[] all = new long[current.length + previous.length];
        int n = 0;
        for (long[] table : new long[][] {previous, current}) {
            for (long value : table) {
                if (value != 0) {
                    all[n++] = value;
                }
            }
        }
        return Arrays.copyOf(all, n);
    }

    /** Where {@code fingerprint} is in {@code table}, or the empty slot where it would go. */
    private static int slot(long[] table, long fingerprint) {
        int mask = table.length - 1;
        int i = (int) fingerprint & mask;
        while (table[i] != fingerprint && table[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
