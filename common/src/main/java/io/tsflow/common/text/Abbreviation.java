package io.tsflow.common.text;

/**
 * Shortens text quoted in log lines, error messages and dead letters, so that a hostile input
 * cannot make them huge. Never splits a surrogate pair.
 */
public final class Abbreviation {

    private Abbreviation() {}

    /**
     * {@code text} if it has at most {@code maxChars} characters, else its first {@code maxChars}
     * (one fewer where that would split a surrogate pair) followed by {@code ...}; null stays null.
     */
    public static String abbreviate(String text, int maxChars) {
        return abbreviate(text, maxChars, "...");
    }

    /** As {@link #abbreviate(String, int)}, with {@code marker} after a cut (may be empty). */
    public static String abbreviate(String text, int maxChars, String marker) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + marker;
    }
}
