package io.tsflow.alerts.pipeline;

/** The number a point's value stands for in stuck and range checks: NaN when it has none. */
final class NumericValue {

    private NumericValue() {}

    static double of(Object value) {
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
