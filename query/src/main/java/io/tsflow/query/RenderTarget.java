package io.tsflow.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A render target: {@code seriesByTag('tag=value', ...)}, each term quoted with ' or ". Graphite's
 * functions over it are not read yet.
 */
final class RenderTarget {

    private static final String PREFIX = "seriesByTag(";

    private RenderTarget() {}

    static List<TagMatcher> parse(String target) {
        String text = target.trim();
        if (!text.startsWith(PREFIX) || !text.endsWith(")")) {
            throw new BadQueryException(
                    "unsupported target '" + target + "': use seriesByTag('tag=value', ...)");
        }
        String arguments = text.substring(PREFIX.length(), text.length() - 1);
        List<TagMatcher> matchers = new ArrayList<>();
        int at = 0;
        while (at < arguments.length()) {
            char c = arguments.charAt(at);
            if (c == ',' || Character.isWhitespace(c)) {
                at++;
                continue;
            }
            if (c != '\'' && c != '"') {
                throw new BadQueryException("each seriesByTag term must be quoted: " + target);
            }
            int end = arguments.indexOf(c, at + 1);
            if (end < 0) {
                throw new BadQueryException("unterminated quote in " + target);
            }
            matchers.add(TagMatcher.parse(arguments.substring(at + 1, end)));
            at = end + 1;
        }
        if (matchers.isEmpty()) {
            throw new BadQueryException("seriesByTag needs at least one term");
        }
        return matchers;
    }
}
