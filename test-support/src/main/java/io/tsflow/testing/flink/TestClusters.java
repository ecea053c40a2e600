package io.tsflow.testing.flink;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster every integration test runs on: one TaskManager, two slots, parallelism 2.
 */
public final class TestClusters {

    private TestClusters() {}

    public static MiniClusterExtension parallelismTwo() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /** One TaskManager with {@code slots} slots: room for several jobs at parallelism 2. */
    public static MiniClusterExtension withSlots(int slots) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(slots)
                        .build());
    }

    /**
     * An environment at parallelism 2 that restarts a failed job up to {@code restarts} times
     * (none: it fails at once; the default with checkpointing, restarting forever, would hang a
     * failing test).
     */
    public static StreamExecutionEnvironment environment(int restarts) {
        Configuration flink = new Configuration();
        // As a cluster's configuration would: the jobs leave the pause between checkpoints to it.
        flink.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(500));
        // As flink-conf/production does: a checkpoint that expires while a server is down (its
        // writers wait for it) does not fail the job at once.
        flink.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
        if (restarts == 0) {
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
            flink.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        return env;
    }
}
