package io.tsflow.rollup.aggregate;

import io.tsflow.schema.Aggregation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The first and last value of a stored bucket: a tag byte, then a double or a long as they are
 * (nearly every value), or any other value of the {@code Aggregation} contract's value union in
 * Avro's binary form, length first.
 */
final class StoredValues {

    private static final byte DOUBLE = 0;
    private static final byte LONG = 1;
    private static final byte AVRO = 2;

    private static final Schema VALUE = Aggregation.getClassSchema().getField("first").schema();

    private StoredValues() {}

    static void write(Object value, DataOutputView out) throws IOException {
        if (value instanceof Double number) {
            out.writeByte(DOUBLE);
            out.writeDouble(number);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new SpecificDatumWriter<>(VALUE).write(value, encoder);
            encoder.flush();
            out.writeByte(AVRO);
            out.writeInt(bytes.size());
            out.write(bytes.toByteArray());
        }
    }

    static Object read(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case DOUBLE:
                return in.readDouble();
            case LONG:
                return in.readLong();
            case AVRO:
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new SpecificDatumReader<>(VALUE)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            default:
                throw new IOException("unknown stored value tag " + tag);
        }
    }
}
