package io.tsflow.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Graphite's target syntax: {@code f(g(seriesByTag('a=b')), 'x', 2)}, with the pipe form
 * {@code seriesByTag('a=b')|g()|f('x', 2)} meaning the same. A syntax error is a {@link
 * BadQueryException} that says where.
 */
final class TargetParser {

    private final String text;
    private int at;

    private TargetParser(String text) {
        this.text = text;
    }

    static TargetExpression parse(String target) {
        TargetParser parser = new TargetParser(target);
        TargetExpression expression = parser.piped();
        parser.skipSpaces();
        if (parser.at != target.length()) {
            throw parser.error("unexpected '" + target.charAt(parser.at) + "'");
        }
        return expression;
    }

    /** {@code expression (| call)*}: each piped call takes what is left of it first. */
    private TargetExpression piped() {
        TargetExpression expression = expression();
        skipSpaces();
        while (at < text.length() && text.charAt(at) == '|') {
            at++;
            skipSpaces();
            TargetExpression next = expression();
            if (!(next instanceof TargetExpression.Call call)) {
                throw error("a function must follow '|'");
            }
            List<TargetExpression> arguments = new ArrayList<>();
            arguments.add(expression);
            arguments.addAll(call.arguments());
            expression = new TargetExpression.Call(call.name(), arguments);
            skipSpaces();
        }
        return expression;
    }

    private TargetExpression expression() {
        skipSpaces();
        if (at >= text.length()) {
            throw error("the target ends too soon");
        }
        char c = text.charAt(at);
        if (c == '\'' || c == '"') {
            int end = text.indexOf(c, at + 1);
            if (end < 0) {
                throw error("unterminated quote");
            }
            String value = text.substring(at + 1, end);
            at = end + 1;
            return new TargetExpression.Text(value);
        }
        int start = at;
        while (at < text.length() && isWordCharacter(text.charAt(at))) {
            at++;
        }
        if (start == at) {
            throw error("unexpected '" + c + "'");
        }
        String word = text.substring(start, at);
        skipSpaces();
        if (at < text.length() && text.charAt(at) == '(') {
            at++;
            List<TargetExpression> arguments = new ArrayList<>();
            skipSpaces();
            if (at < text.length() && text.charAt(at) == ')') {
                at++;
                return new TargetExpression.Call(word, arguments);
            }
            while (true) {
                arguments.add(piped());
                skipSpaces();
                if (at >= text.length()) {
                    throw error("missing ')'");
                }
                char separator = text.charAt(at++);
                if (separator == ')') {
                    return new TargetExpression.Call(word, arguments);
                }
                if (separator != ',') {
                    throw error("expected ',' or ')'");
                }
            }
        }
        return new TargetExpression.Word(word);
    }

    private static boolean isWordCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '+';
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private BadQueryException error(String problem) {
        return new BadQueryException(
                "bad target at character " + (at + 1) + ": " + problem + " in " + text);
    }
}
