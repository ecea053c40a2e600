package io.tsflow.query;

import java.util.Locale;

/**
 * What one rollup bucket stands for in a response: a column of the rollup table. Raw points are
 * their own value whatever the aggregate.
 */
public enum Aggregate {
    MEAN("mean"),
    MIN("min"),
    MAX("max"),
    SUM("sum"),
    COUNT("count"),
    /** A counter's increase per second over the bucket, resets handled by the rollup. */
    RATE("counter_rate");

    final String column;

    Aggregate(String column) {
        this.column = column;
    }

    /** {@code mean}, {@code min}, ... (Graphite's {@code average} and {@code avg} too). */
    public static Aggregate parse(String text) {
        String name = text.toLowerCase(Locale.ROOT);
        if (name.equals("average") || name.equals("avg")) {
            return MEAN;
        }
        for (Aggregate aggregate : values()) {
            if (aggregate.name().toLowerCase(Locale.ROOT).equals(name)) {
                return aggregate;
            }
        }
        throw new BadQueryException(
                "unknown aggregate '" + text + "': mean, min, max, sum, count or rate");
    }
}
