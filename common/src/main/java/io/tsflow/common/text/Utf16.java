package io.tsflow.common.text;

/** Checks on Java strings that are about to be encoded as UTF-8. */
public final class Utf16 {

    private Utf16() {}

    /**
     * Whether every surrogate in {@code text} is half of a pair. A lone surrogate has no UTF-8
     * encoding: Java's encoder silently writes '?' in its place, so the stored text would differ
     * from what was sent.
     */
    public static boolean isWellFormed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code text} without leading and trailing spaces and tabs. Unlike {@link String#trim()},
     * control characters are kept, so that validation sees and refuses them instead of a name
     * silently losing them.
     */
    public static String trimSpaces(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == text.length() ? text : text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
