package io.tsflow.common.types;

/**
 * The number a point's value stands for where a job computes with values (alert checks, derived
 * series): {@code tdouble} and {@code tlong} as they are, {@code tbool} as 0 or 1; NaN for the
 * other types.
 */
public final class NumericValue {

    private NumericValue() {}

    public static double of(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }
}
