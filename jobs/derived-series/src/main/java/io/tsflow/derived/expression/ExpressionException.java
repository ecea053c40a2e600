package io.tsflow.derived.expression;

/** An expression that does not compile: the message names the rule and the position. */
public class ExpressionException extends RuntimeException {

    private final int position;

    public ExpressionException(String rule, int position, String problem) {
        super("rule " + rule + ": expression at position " + position + ": " + problem);
        this.position = position;
    }

    /** 1-based column of the problem in the expression. */
    public int position() {
        return position;
    }
}
