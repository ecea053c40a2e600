package io.tsflow.rollup.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link PointRunBundler} gathers points before the shuffle: at most {@code maxPoints} held,
 * none for longer than {@code maxDelay}. One point sends each point alone.
 */
public record MiniBatch(int maxPoints, Duration maxDelay) implements Serializable {

    /**
     * Off: each point alone. Gathering 20,000 points made the rollup benchmark slower at 10 k and 1
     * M series on both state backends (benchmarks/PEERS-REPORT.md).
     */
    public static final MiniBatch DEFAULT = new MiniBatch(1, Duration.ofMillis(200));

    public MiniBatch {
        if (maxPoints < 1 || maxDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "a mini-batch holds at least one point, for no negative delay");
        }
    }
}
