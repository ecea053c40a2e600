package io.tsflow.query;

import java.util.List;
import java.util.Locale;

/**
 * What one rollup bucket stands for in a response: a column of the rollup table, or one quantile of
 * its {@code quantiles} map ({@code p50}, {@code p99}, {@code p99.9}: the ones the rollup rule
 * keeps). Raw points are their own value whatever the aggregate.
 */
public record Aggregate(String name, String column, String quantile) {

    public static final Aggregate MEAN = new Aggregate("mean", "mean", null);
    public static final Aggregate MIN = new Aggregate("min", "min", null);
    public static final Aggregate MAX = new Aggregate("max", "max", null);
    public static final Aggregate SUM = new Aggregate("sum", "sum", null);
    public static final Aggregate COUNT = new Aggregate("count", "count", null);

    /** The bucket's last value (a boolean as 1 or 0). */
    public static final Aggregate LAST = new Aggregate("last", "last_value", null);

    /** A counter's increase per second over the bucket, resets handled by the rollup. */
    public static final Aggregate RATE = new Aggregate("rate", "counter_rate", null);

    static final List<Aggregate> COLUMNS = List.of(MEAN, MIN, MAX, SUM, COUNT, LAST, RATE);

    /**
     * {@code mean}, {@code min}, ... (Graphite's {@code average} and {@code avg} too), or {@code
     * p99}.
     */
    public static Aggregate parse(String text) {
        String name = text.toLowerCase(Locale.ROOT);
        if (name.equals("average") || name.equals("avg")) {
            return MEAN;
        }
        for (Aggregate aggregate : COLUMNS) {
            if (aggregate.name().equals(name)) {
                return aggregate;
            }
        }
        if (name.matches("p\\d{1,2}(\\.\\d+)?")) {
            return new Aggregate(name, "quantiles", name);
        }
        throw new BadQueryException(
                "unknown aggregate '"
                        + text
                        + "': mean, min, max, sum, count, last, rate or a quantile such as p99");
    }

    boolean isQuantile() {
        return quantile != null;
    }
}
