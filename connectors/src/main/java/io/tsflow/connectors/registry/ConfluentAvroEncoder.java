package io.tsflow.connectors.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes specific records of one type in the Confluent wire format, registering their schema under
 * a subject once. Not thread-safe: one per task.
 */
public class ConfluentAvroEncoder<T extends SpecificRecord> {

    private final UnionCachingDatumWriter<T> writer;
    private final int schemaId;
    private final WireBuffer buffer = new WireBuffer();
    private BinaryEncoder encoder;

    public ConfluentAvroEncoder(SchemaRegistryClient registry, String subject, Schema schema)
            throws IOException {
        this.writer = new UnionCachingDatumWriter<>(schema);
        try {
            this.schemaId = registry.register(subject, schema);
        } catch (SchemaNotFoundException e) {
            throw new IOException("cannot register schema under subject " + subject, e);
        }
    }

    /** An encoder for a schema already registered under {@code schemaId}. */
    public ConfluentAvroEncoder(int schemaId, Schema schema) {
        this.writer = new UnionCachingDatumWriter<>(schema);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }

    public byte[] encode(T record) throws IOException {
        buffer.startMessage(schemaId);
        // Buffered: the direct encoder writes byte by byte into the stream.
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        writer.write(record, encoder);
        encoder.flush();
        return buffer.toByteArray();
    }

    /**
     * The bytes of one message, header first. Unlike {@code ByteArrayOutputStream} its writes are
     * not synchronized: one encoder belongs to one task thread, and the per-write lock was a
     * measurable cost.
     */
    private static final class WireBuffer extends OutputStream {
        private byte[] bytes = new byte[256];
        private int size;

        void startMessage(int schemaId) {
            size = 0;
            write(ConfluentWireFormat.MAGIC);
            write(schemaId >>> 24);
            write(schemaId >>> 16);
            write(schemaId >>> 8);
            write(schemaId);
        }

        @Override
        public void write(int b) {
            ensureRoom(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensureRoom(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensureRoom(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
