package io.tsflow.rollup.pipeline;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The layout of an open bucket's slots ({@link OpenBuckets#slots}) in the series' progress, which
 * is written with every run of points: the slots of an hour's minutes take a byte each, not eight.
 */
final class SlotsCodec {

    private SlotsCodec() {}

    /**
     * A bucket's slots, ascending: their count plus one (0: its index is in state), the first, then
     * each step as its difference from the step before, zigzag and variable-length, so that the
     * evenly spaced starts of an in-order series' lower buckets take a byte each.
     */
    static void write(long[] slots, DataOutputView out) throws IOException {
        writeVarLong(slots == null ? 0 : slots.length + 1L, out);
        if (slots == null || slots.length == 0) {
            return;
        }
        out.writeLong(slots[0]);
        long step = 0;
        for (int i = 1; i < slots.length; i++) {
            long next = slots[i] - slots[i - 1];
            writeVarLong(zigzag(next - step), out);
            step = next;
        }
    }

    static long[] read(DataInputView in) throws IOException {
        long countPlusOne = readVarLong(in);
        if (countPlusOne == 0) {
            return null;
        }
        if (countPlusOne > Integer.MAX_VALUE) {
            throw new IOException("an open bucket with " + (countPlusOne - 1) + " slots");
        }
        int count = (int) (countPlusOne - 1);
        long[] slots = new long[count];
        if (count == 0) {
            return slots;
        }
        slots[0] = in.readLong();
        long step = 0;
        for (int i = 1; i < count; i++) {
            step += unzigzag(readVarLong(in));
            slots[i] = slots[i - 1] + step;
        }
        return slots;
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    private static void writeVarLong(long value, DataOutputView out) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readVarLong(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte next = in.readByte();
            value |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                return value;
            }
            if (shift > 56) {
                throw new IOException("a variable-length number longer than a long");
            }
        }
    }
}
