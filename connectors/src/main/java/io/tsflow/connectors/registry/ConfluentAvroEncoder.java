package io.tsflow.connectors.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes specific records of one type in the Confluent wire format, registering their schema under
 * a subject once. Not thread-safe: one per task.
 */
public class ConfluentAvroEncoder<T extends SpecificRecord> {

    private final SpecificDatumWriter<T> writer;
    private final int schemaId;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;

    public ConfluentAvroEncoder(SchemaRegistryClient registry, String subject, Schema schema)
            throws IOException {
        this.writer = new SpecificDatumWriter<>(schema);
        try {
            this.schemaId = registry.register(subject, schema);
        } catch (SchemaNotFoundException e) {
            throw new IOException("cannot register schema under subject " + subject, e);
        }
    }

    /** An encoder for a schema already registered under {@code schemaId}. */
    public ConfluentAvroEncoder(int schemaId, Schema schema) {
        this.writer = new SpecificDatumWriter<>(schema);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }

    public byte[] encode(T record) throws IOException {
        buffer.reset();
        buffer.write(ConfluentWireFormat.MAGIC);
        buffer.write(schemaId >>> 24);
        buffer.write(schemaId >>> 16);
        buffer.write(schemaId >>> 8);
        buffer.write(schemaId);
        // Buffered: the direct encoder writes byte by byte into the (synchronized) stream.
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        writer.write(record, encoder);
        encoder.flush();
        return buffer.toByteArray();
    }
}
