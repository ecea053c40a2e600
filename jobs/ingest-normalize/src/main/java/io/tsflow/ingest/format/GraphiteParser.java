package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads Graphite plaintext: one point per line, {@code path value unix_seconds}, where the path may
 * carry Graphite 1.1 tags ({@code cpu.load;host=web01;dc=bru}). Values are tdouble; seconds may
 * have a fraction. A bad line rejects only itself.
 */
public final class GraphiteParser {

    public List<ParsedMessage> parse(String text) {
        List<ParsedMessage> messages = new ArrayList<>();
        for (Lines.Line line : Lines.of(text)) {
            messages.add(line(line.index(), line.text()));
        }
        return messages;
    }

    private static ParsedMessage line(int index, String line) {
        Supplier<byte[]> original = () -> line.getBytes(StandardCharsets.UTF_8);
        String[] tokens = line.trim().split("[ \t]+");
        if (tokens.length != 3) {
            return ParsedMessage.invalid(
                    index,
                    RejectReason.MALFORMED_LINE,
                    "a Graphite line is 'path value timestamp', got " + tokens.length + " fields",
                    original,
                    null);
        }
        String[] pathParts = tokens[0].split(";", -1);
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; i < pathParts.length; i++) {
            int equals = pathParts[i].indexOf('=');
            if (equals <= 0) {
                return ParsedMessage.invalid(
                        index,
                        RejectReason.MALFORMED_LINE,
                        "Graphite tag '"
                                + Abbreviation.abbreviate(pathParts[i], 80)
                                + "' is not name=value",
                        original,
                        pathParts[0]);
            }
            tags.put(pathParts[i].substring(0, equals), pathParts[i].substring(equals + 1));
        }
        double value;
        try {
            value = Double.parseDouble(tokens[1]);
        } catch (NumberFormatException e) {
            value = tokens[1].equalsIgnoreCase("nan") ? Double.NaN : Double.NEGATIVE_INFINITY;
            if (value == Double.NEGATIVE_INFINITY) {
                return ParsedMessage.typed(
                        index,
                        pathParts[0],
                        tags,
                        "tdouble",
                        List.of(
                                ParsedPoint.invalid(
                                        0,
                                        tokens[1],
                                        RejectReason.WRONG_VALUE_TYPE,
                                        "Graphite value '"
                                                + Abbreviation.abbreviate(tokens[1], 80)
                                                + "' is not a number")),
                        original,
                        true);
            }
        }
        ParsedPoint point;
        try {
            double seconds = Double.parseDouble(tokens[2]);
            if (!Double.isFinite(seconds) || Math.abs(seconds) > 9.0e12) {
                throw new NumberFormatException();
            }
            point = ParsedPoint.of(0, (long) Math.floor(seconds * 1_000_000 + 0.5), value);
        } catch (NumberFormatException e) {
            point =
                    ParsedPoint.invalid(
                            0,
                            value,
                            RejectReason.INVALID_TIMESTAMP,
                            "Graphite timestamp '"
                                    + Abbreviation.abbreviate(tokens[2], 80)
                                    + "' is not unix seconds");
        }
        return ParsedMessage.typed(
                index, pathParts[0], tags, "tdouble", List.of(point), original, true);
    }
}
