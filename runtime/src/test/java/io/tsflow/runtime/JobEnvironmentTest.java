package io.tsflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobEnvironmentTest {

    private static StreamExecutionEnvironment cluster() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(7));
        cluster.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofSeconds(2));
        return StreamExecutionEnvironment.getExecutionEnvironment(cluster);
    }

    @Test
    void theClustersCheckpointTimeoutAndPauseHoldUnlessTheJobSetsThem() {
        StreamExecutionEnvironment byCluster =
                JobEnvironment.configure(cluster(), CheckpointSettings.defaults());
        assertThat(byCluster.getCheckpointConfig().getCheckpointTimeout())
                .isEqualTo(Duration.ofMinutes(7).toMillis());
        assertThat(byCluster.getCheckpointConfig().getMinPauseBetweenCheckpoints())
                .isEqualTo(2_000);
        assertThat(byCluster.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10_000);

        StreamExecutionEnvironment byJob =
                JobEnvironment.configure(
                        cluster(),
                        new CheckpointSettings(
                                Duration.ofSeconds(5),
                                Duration.ofMinutes(3),
                                Duration.ofMillis(100),
                                null));
        assertThat(byJob.getCheckpointConfig().getCheckpointTimeout())
                .isEqualTo(Duration.ofMinutes(3).toMillis());
        assertThat(byJob.getCheckpointConfig().getMinPauseBetweenCheckpoints()).isEqualTo(100);
    }
}
