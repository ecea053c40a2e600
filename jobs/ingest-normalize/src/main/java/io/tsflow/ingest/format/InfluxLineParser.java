package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.common.types.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads Influx line protocol ({@code measurement,tag=v field=1.5,count=3i,ok=t,msg="x"
 * 1700000000000000000}), as Telegraf writes it. Each field becomes a series named {@code
 * measurement<separator>field}: floats are tdouble, {@code i} and {@code u} integers tlong,
 * booleans tbool, quoted strings ttext. A line without a timestamp takes the Kafka record's
 * timestamp, so replays give the same points.
 */
public final class InfluxLineParser {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final String separator;
    private final long microsPerUnit;

    public InfluxLineParser(String separator, long microsPerUnit) {
        this.separator = separator;
        this.microsPerUnit = microsPerUnit;
    }

    public List<ParsedMessage> parse(String text, long recordTimestampMicros) {
        List<ParsedMessage> messages = new ArrayList<>();
        for (Lines.Line line : Lines.of(text)) {
            try {
                new LineReader(line.text()).read(line.index(), recordTimestampMicros, messages);
            } catch (MalformedLine e) {
                messages.add(
                        ParsedMessage.invalid(
                                line.index(),
                                RejectReason.MALFORMED_LINE,
                                "Influx line protocol: " + e.getMessage(),
                                () -> line.text().getBytes(StandardCharsets.UTF_8),
                                null));
            }
        }
        return messages;
    }

    private static final class MalformedLine extends Exception {
        MalformedLine(String message) {
            super(message, null, false, false);
        }
    }

    /** A cursor over one line. */
    private final class LineReader {
        private final String line;
        private int pos;

        LineReader(String line) {
            this.line = line;
        }

        void read(int index, long recordTimestampMicros, List<ParsedMessage> out)
                throws MalformedLine {
            String measurement = readToken(new char[] {',', ' '});
            if (measurement.isEmpty()) {
                throw new MalformedLine("missing measurement");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            while (pos < line.length() && line.charAt(pos) == ',') {
                pos++;
                String key = readToken(new char[] {'='});
                expect('=');
                String value = readToken(new char[] {',', ' '});
                if (key.isEmpty() || value.isEmpty()) {
                    throw new MalformedLine("empty tag key or value");
                }
                tags.put(key, value);
            }
            skipSpaces();
            Map<String, Object> fields = new LinkedHashMap<>();
            do {
                if (!fields.isEmpty()) {
                    pos++;
                }
                String key = readToken(new char[] {'='});
                expect('=');
                if (key.isEmpty()) {
                    throw new MalformedLine("empty field key");
                }
                fields.put(key, fieldValue());
            } while (pos < line.length() && line.charAt(pos) == ',');
            skipSpaces();
            Long timestampMicros = null;
            String rest = line.substring(pos).trim();
            if (!rest.isEmpty()) {
                try {
                    timestampMicros =
                            TimestampParser.fromEpoch(Long.parseLong(rest), microsPerUnit);
                } catch (NumberFormatException | InvalidValueException e) {
                    timestampMicros = null;
                    for (Map.Entry<String, Object> field : fields.entrySet()) {
                        out.add(
                                message(
                                        index,
                                        measurement,
                                        tags,
                                        field.getKey(),
                                        List.of(
                                                ParsedPoint.invalid(
                                                        0,
                                                        field.getValue(),
                                                        RejectReason.INVALID_TIMESTAMP,
                                                        "Influx timestamp '"
                                                                + Abbreviation.abbreviate(rest, 80)
                                                                + "' is not an integer"))));
                    }
                    return;
                }
            }
            long micros = timestampMicros == null ? recordTimestampMicros : timestampMicros;
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                Object value = field.getValue();
                ParsedPoint point =
                        value instanceof InvalidValueException invalid
                                ? ParsedPoint.invalid(
                                        0, null, invalid.reason(), invalid.getMessage())
                                : ParsedPoint.of(0, micros, value);
                out.add(message(index, measurement, tags, field.getKey(), List.of(point)));
            }
        }

        private ParsedMessage message(
                int index,
                String measurement,
                Map<String, String> tags,
                String field,
                List<ParsedPoint> points) {
            Object value = points.get(0).value();
            String type =
                    value instanceof Long
                            ? "tlong"
                            : value instanceof Boolean
                                    ? "tbool"
                                    : value instanceof String ? "ttext" : "tdouble";
            return ParsedMessage.typed(
                    index,
                    measurement + separator + field,
                    tags,
                    type,
                    points,
                    () -> line.getBytes(StandardCharsets.UTF_8),
                    true);
        }

        private Object fieldValue() throws MalformedLine {
            if (pos < line.length() && line.charAt(pos) == '"') {
                pos++;
                StringBuilder value = new StringBuilder();
                while (pos < line.length() && line.charAt(pos) != '"') {
                    char c = line.charAt(pos);
                    if (c == '\\'
                            && pos + 1 < line.length()
                            && (line.charAt(pos + 1) == '"' || line.charAt(pos + 1) == '\\')) {
                        pos++;
                        c = line.charAt(pos);
                    }
                    value.append(c);
                    pos++;
                }
                expect('"');
                return value.toString();
            }
            String raw = readToken(new char[] {',', ' '});
            if (raw.isEmpty()) {
                throw new MalformedLine("empty field value");
            }
            switch (raw) {
                case "t", "T", "true", "True", "TRUE":
                    return Boolean.TRUE;
                case "f", "F", "false", "False", "FALSE":
                    return Boolean.FALSE;
                default:
                    break;
            }
            char last = raw.charAt(raw.length() - 1);
            if (last == 'i' || last == 'u') {
                String digits = raw.substring(0, raw.length() - 1);
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    // Long.parseLong is linear in the length; BigInteger would be quadratic on a
                    // hostile million-digit field.
                    if (INTEGER.matcher(digits).matches()) {
                        return new InvalidValueException(
                                RejectReason.VALUE_OUT_OF_RANGE,
                                "integer "
                                        + Abbreviation.abbreviate(raw, 80)
                                        + " does not fit a tlong");
                    }
                    throw new MalformedLine(
                            "'" + Abbreviation.abbreviate(raw, 80) + "' is not an integer");
                }
            }
            try {
                return Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new MalformedLine(
                        "'" + Abbreviation.abbreviate(raw, 80) + "' is not a field value");
            }
        }

        /** Reads up to an unescaped stop character; a backslash escapes the next character. */
        private String readToken(char[] stops) {
            StringBuilder token = new StringBuilder();
            while (pos < line.length()) {
                char c = line.charAt(pos);
                if (c == '\\' && pos + 1 < line.length()) {
                    token.append(line.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                for (char stop : stops) {
                    if (c == stop) {
                        return token.toString();
                    }
                }
                token.append(c);
                pos++;
            }
            return token.toString();
        }

        private void expect(char c) throws MalformedLine {
            if (pos >= line.length() || line.charAt(pos) != c) {
                throw new MalformedLine("expected '" + c + "' at column " + (pos + 1));
            }
            pos++;
        }

        private void skipSpaces() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
        }
    }
}
