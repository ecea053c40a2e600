package io.tsflow.testing.flink;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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
}
