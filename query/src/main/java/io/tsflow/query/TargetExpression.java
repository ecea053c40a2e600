package io.tsflow.query;

import java.util.List;
import java.util.stream.Collectors;

/** A parsed render target: a function call, a quoted string or a number. */
public sealed interface TargetExpression {

    /** {@code name(arguments...)}. */
    record Call(String name, List<TargetExpression> arguments) implements TargetExpression {
        @Override
        public String toString() {
            return name
                    + "("
                    + arguments.stream().map(Object::toString).collect(Collectors.joining(","))
                    + ")";
        }
    }

    /** {@code 'text'} or {@code "text"}. */
    record Text(String value) implements TargetExpression {
        @Override
        public String toString() {
            return "'" + value + "'";
        }
    }

    /** A number, or a bare word such as {@code true}. */
    record Word(String value) implements TargetExpression {
        @Override
        public String toString() {
            return value;
        }
    }
}
