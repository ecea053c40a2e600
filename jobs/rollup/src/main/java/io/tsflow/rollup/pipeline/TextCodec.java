package io.tsflow.rollup.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A string as its UTF-8 bytes, length first, for the rollup's own serializers: no 64 KB limit (as
 * {@code writeUTF} has), and no per-thread buffer (as Flink's {@code StringValue} reads through: a
 * thread-local lookup that cost more than the rest of decoding a point's identity).
 */
final class TextCodec {

    private TextCodec() {}

    static void write(String text, DataOutputView out) throws IOException {
        byte[] bytes = text.getBytes(UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static void skip(DataInputView in) throws IOException {
        in.skipBytesToRead(in.readInt());
    }

    static String read(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, UTF_8);
    }
}
