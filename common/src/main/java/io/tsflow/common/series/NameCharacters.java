package io.tsflow.common.series;

/**
 * The character rules of metric names and tag keys (docs/jobs/ingest-normalize.md, "Validation
 * rules"), for ingest's checks of every message and for configuration that names tags. Checked by
 * hand: on ingest's hot path a regular expression match cost more than the rest of the name checks
 * together.
 *
 * <ul>
 *   <li>metric: {@code [A-Za-z0-9_][A-Za-z0-9_.:/-]*}
 *   <li>tag key: {@code [A-Za-z_][A-Za-z0-9_.-]*}
 * </ul>
 */
public final class NameCharacters {

    private NameCharacters() {}

    public static boolean isMetricName(String name) {
        if (name.isEmpty() || !(isAsciiLetterOrDigit(name.charAt(0)) || name.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isAsciiLetterOrDigit(c)
                    || c == '_'
                    || c == '.'
                    || c == ':'
                    || c == '/'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isTagKey(String key) {
        if (key.isEmpty() || !(isAsciiLetter(key.charAt(0)) || key.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }
}
