package io.tsflow.query;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One term of Graphite's {@code seriesByTag}: {@code tag=value}, {@code tag!=value}, {@code
 * tag=~regex} or {@code tag!=~regex}. Tag {@code name} is the metric. As in Graphite, an absent tag
 * has the empty value, and a regular expression matches from the start of the value.
 */
public record TagMatcher(String key, Operator operator, String value, Pattern pattern) {

    /** How a matcher compares. */
    public enum Operator {
        EQUAL("="),
        NOT_EQUAL("!="),
        MATCH("=~"),
        NOT_MATCH("!=~");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** Parses {@code tag<op>value}; a bad term is a {@link BadQueryException}. */
    public static TagMatcher parse(String term) {
        int at = term.indexOf('=');
        if (at <= 0) {
            throw new BadQueryException("not a tag expression: '" + term + "'");
        }
        boolean negated = term.charAt(at - 1) == '!';
        String key = term.substring(0, negated ? at - 1 : at).trim();
        if (key.isEmpty()) {
            throw new BadQueryException("no tag in '" + term + "'");
        }
        boolean regex = at + 1 < term.length() && term.charAt(at + 1) == '~';
        String value = term.substring(regex ? at + 2 : at + 1);
        Operator operator =
                regex
                        ? (negated ? Operator.NOT_MATCH : Operator.MATCH)
                        : (negated ? Operator.NOT_EQUAL : Operator.EQUAL);
        Pattern pattern = null;
        if (regex) {
            try {
                pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new BadQueryException(
                        "bad regular expression in '" + term + "': " + e.getDescription());
            }
        }
        return new TagMatcher(key, operator, value, pattern);
    }

    /** Whether a series with {@code metric} and {@code tags} matches. */
    public boolean matches(String metric, Map<String, String> tags) {
        String actual = key.equals("name") ? metric : tags.getOrDefault(key, "");
        return switch (operator) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case MATCH -> pattern.matcher(actual).lookingAt();
            case NOT_MATCH -> !pattern.matcher(actual).lookingAt();
        };
    }

    /** An exact, non-empty match: one that an index lookup can start from. */
    public boolean selects() {
        return operator == Operator.EQUAL && !value.isEmpty();
    }

    @Override
    public String toString() {
        return key + operator.symbol + value;
    }
}
