package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.connectors.registry.ConfluentWireFormat;

/**
 * Decides a record's format: the {@code tsflow.format} header when present, else its first bytes. Magic byte 0
 * is the Confluent Avro wire format; text starting with {@code {} or {@code [} is JSON; otherwise the first line
 * decides: {@code path value timestamp} with a numeric value is Graphite, a line with {@code =} is Influx.
 */
public final class FormatDetector {

    private FormatDetector() {}

    public static InputFormat detect(String header, byte[] bytes) throws RecordRejectedException {
        if (header != null) {
            return InputFormat.fromHeader(header)
                    .orElseThrow(
                            () ->
                                    new RecordRejectedException(
                                            RejectReason.UNKNOWN_FORMAT,
                                            "header tsflow.format names an unknown format '"
                                                    + Abbreviation.abbreviate(header, 80)
                                                    + "' (json, avro, graphite, influx)"));
        }
        if (ConfluentWireFormat.looksLikeWireFormat(bytes)) {
            return InputFormat.AVRO;
        }
        int i = 0;
        if (bytes.length >= 3
                && bytes[0] == (byte) 0xEF
                && bytes[1] == (byte) 0xBB
                && bytes[2] == (byte) 0xBF) {
            i = 3;
        }
        while (i < bytes.length && isSpace(bytes[i])) {
            i++;
        }
        if (i < bytes.length && (bytes[i] == '{' || bytes[i] == '[')) {
            return InputFormat.JSON;
        }
        String firstLine = firstDataLine(bytes, i);
        if (firstLine != null) {
            String[] tokens = firstLine.trim().split("[ \t]+");
            if (tokens.length == 3 && isNumber(tokens[1])) {
                return InputFormat.GRAPHITE;
            }
            if (firstLine.indexOf('=') > 0) {
                return InputFormat.INFLUX;
            }
        }
        throw new RecordRejectedException(
                RejectReason.UNKNOWN_FORMAT,
                "not JSON, Avro wire format, Graphite or Influx line protocol");
    }

    private static String firstDataLine(byte[] bytes, int from) {
        int start = from;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            String line =
                    new String(
                            bytes,
                            start,
                            Math.min(end - start, 4096),
                            java.nio.charset.StandardCharsets.UTF_8);
            if (!line.isBlank() && !line.startsWith("#")) {
                return line;
            }
            start = end + 1;
        }
        return null;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static boolean isNumber(String token) {
        try {
            Double.parseDouble(token);
            return true;
        } catch (NumberFormatException e) {
            return token.equalsIgnoreCase("nan");
        }
    }
}
