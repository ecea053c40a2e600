package io.tsflow.derived.rules;

/** What a step does when an input has no value within the lookback. */
public enum FillPolicy {
    /** No derived point for the step. */
    SKIP,
    /** The input counts as 0. */
    ZERO,
    /** The input's last value, however old (one value per series is kept until forgotten). */
    PREVIOUS;

    static FillPolicy named(String name) {
        return switch (name) {
            case "skip" -> SKIP;
            case "zero" -> ZERO;
            case "previous" -> PREVIOUS;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
