package io.tsflow.rollup.aggregate;

/** How many points of a tbool bucket were true. */
public final class BooleanStats {

    private long countTrue;

    public static BooleanStats of(long countTrue) {
        BooleanStats stats = new BooleanStats();
        stats.countTrue = countTrue;
        return stats;
    }

    public void add(boolean value) {
        if (value) {
            countTrue++;
        }
    }

    public void mergeAfter(BooleanStats later) {
        countTrue += later.countTrue;
    }

    public long countTrue() {
        return countTrue;
    }
}
