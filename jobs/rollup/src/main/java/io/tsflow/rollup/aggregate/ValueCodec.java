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
import org.apache.flink.types.StringValue;

/**
 * A point's value, or a bucket's first or last, in binary: a tag byte, then a double, a long, a
 * boolean or a text as it is (nearly every value; a text comes back as a {@code String}), or any
 * other value of the contracts' value union (bytes, positions, structured values) in Avro's binary
 * form, length first.
 */
public final class ValueCodec {

    private static final byte DOUBLE = 0;
    private static final byte LONG = 1;
    private static final byte AVRO = 2;
    private static final byte BOOLEAN = 3;
    private static final byte TEXT = 4;

    /** A union of every type a value can have (the widest of the contracts). */
    private static final Schema VALUE = Aggregation.getClassSchema().getField("first").schema();

    // Made once: Avro's writer holds no state between writes, and its reader keeps a resolver per
    // thread, so both serve every subtask.
    private static final SpecificDatumWriter<Object> WRITER = new SpecificDatumWriter<>(VALUE);
    private static final SpecificDatumReader<Object> READER = new SpecificDatumReader<>(VALUE);

    private ValueCodec() {}

    public static void write(Object value, DataOutputView out) throws IOException {
        if (value instanceof Double number) {
            out.writeByte(DOUBLE);
            out.writeDouble(number);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof Boolean flag) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(flag);
        } else if (value instanceof CharSequence text) {
            out.writeByte(TEXT);
            StringValue.writeString(text, out);
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            WRITER.write(value, encoder);
            encoder.flush();
            out.writeByte(AVRO);
            out.writeInt(bytes.size());
            out.write(bytes.toByteArray());
        }
    }

    public static Object read(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case DOUBLE:
                return in.readDouble();
            case LONG:
                return in.readLong();
            case BOOLEAN:
                return in.readBoolean();
            case TEXT:
                return StringValue.readString(in);
            case AVRO:
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return READER.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            default:
                throw new IOException("unknown stored value tag " + tag);
        }
    }
}
