package io.tsflow.ingest.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits line-protocol text into its lines (LF or CRLF), keeping each line's index for the dead
 * letters.
 */
final class Lines {

    record Line(int index, String text) {}

    private Lines() {}

    /** The non-blank lines that do not start with {@code #}. */
    static List<Line> of(String text) {
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int index = 0; index < raw.length; index++) {
            String line =
                    raw[index].endsWith("\r")
                            ? raw[index].substring(0, raw[index].length() - 1)
                            : raw[index];
            if (!line.isBlank() && !line.stripLeading().startsWith("#")) {
                lines.add(new Line(index, line));
            }
        }
        return lines;
    }
}
