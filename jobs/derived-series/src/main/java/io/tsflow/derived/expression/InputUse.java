package io.tsflow.derived.expression;

import java.io.Serializable;
import java.util.Locale;

/**
 * One way an expression reads an input: its latest value (the bare name), an aggregation over the
 * input's series in the group ({@code sum}, {@code avg}, {@code min}, {@code max}, {@code count}),
 * or a counter function over the lookback ({@code rate}, {@code increase}, {@code delta}, summed
 * over the group's series). {@link #variable()} is the name it is evaluated under.
 */
public record InputUse(Function function, String input) implements Serializable {

    /** What is taken from the input's series. */
    public enum Function {
        LATEST,
        SUM,
        AVG,
        MIN,
        MAX,
        COUNT,
        RATE,
        INCREASE,
        DELTA;

        static Function named(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public String variable() {
        return function == Function.LATEST
                ? input
                : "__" + function.name().toLowerCase(Locale.ROOT) + "_" + input;
    }
}
