package io.tsflow.rollup.aggregate;

import java.io.Serializable;

/**
 * How a counter's drops are read. By default every drop is a reset (the device restarted and counts
 * from zero again), as Prometheus reads counters. A counter that never resets but wraps at a fixed
 * size (a 32-bit SNMP octet counter) is declared with {@code wrapAt}: then every drop is a wrap.
 */
public record CounterMode(double wrapAt) implements Serializable {

    public static final CounterMode RESETS = new CounterMode(0);

    public static CounterMode wrappingAt(double wrapAt) {
        if (!(wrapAt > 0)) {
            throw new IllegalArgumentException("wrapAt must be positive");
        }
        return new CounterMode(wrapAt);
    }

    /** The increase from {@code previous} to {@code next}, never negative. */
    public double increase(double previous, double next) {
        if (next >= previous) {
            return next - previous;
        }
        return wrapAt > 0 ? wrapAt - previous + next : next;
    }
}
