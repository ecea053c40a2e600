package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes text input strictly: malformed UTF-8 rejects the record instead of becoming U+FFFD. */
public final class StrictUtf8Text {

    private final CharsetDecoder decoder =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);

    public String decode(byte[] bytes) throws RecordRejectedException {
        int start =
                bytes.length >= 3
                                && bytes[0] == (byte) 0xEF
                                && bytes[1] == (byte) 0xBB
                                && bytes[2] == (byte) 0xBF
                        ? 3
                        : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            CharBuffer chars = decoder.reset().decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_UTF8,
                    "the record is not valid UTF-8 (bad byte sequence at offset "
                            + in.position()
                            + ")");
        }
    }
}
