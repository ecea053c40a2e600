package io.tsflow.connectors.registry;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: one magic byte 0, the writer schema's registry id as a 4-byte
 * big-endian integer, then the Avro binary encoding of the record.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {}

    /** True when {@code bytes} starts like a wire-format record. */
    public static boolean looksLikeWireFormat(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER_SIZE && bytes[0] == MAGIC;
    }

    /** The schema id of a record already checked with {@link #looksLikeWireFormat}. */
    public static int schemaId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    public static void writeHeader(ByteBuffer target, int schemaId) {
        target.put(MAGIC).putInt(schemaId);
    }
}
