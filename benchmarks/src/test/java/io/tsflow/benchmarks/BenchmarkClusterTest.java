package io.tsflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which setting a benchmark job runs with, where the cluster, the job and a property disagree. */
class BenchmarkClusterTest {

    private static final String WRITE_BUFFER = "state.backend.rocksdb.writebuffer.size";

    @TempDir Path checkpoints;

    @AfterEach
    void clearProperties() {
        System.clearProperty("tsflow.bench.flink." + WRITE_BUFFER);
        System.clearProperty("tsflow.bench.flink.state.backend.type");
    }

    @Test
    void aJobsOwnSettingGoesOverTheClusters() {
        Configuration job = new Configuration();
        job.setString(WRITE_BUFFER, "16mb");
        job.setString("state.backend.rocksdb.use-bloom-filter", "false");

        Configuration flink = BenchmarkCluster.jobConfiguration("rocksdb", checkpoints, job);

        assertThat(flink.getString(WRITE_BUFFER, null)).isEqualTo("16mb");
        assertThat(flink.getString("state.backend.rocksdb.use-bloom-filter", null))
                .isEqualTo("false");
        assertThat(BenchmarkCluster.clusterSettings().getString(WRITE_BUFFER, null)).isNull();
    }

    @Test
    void aPropertyGoesOverTheJobsSettingButNotOverTheRunsBackend() {
        System.setProperty("tsflow.bench.flink." + WRITE_BUFFER, "64mb");
        System.setProperty("tsflow.bench.flink.state.backend.type", "hashmap");
        Configuration job = new Configuration();
        job.setString(WRITE_BUFFER, "16mb");

        Configuration flink = BenchmarkCluster.jobConfiguration("rocksdb", checkpoints, job);

        assertThat(flink.getString(WRITE_BUFFER, null)).isEqualTo("64mb");
        assertThat(flink.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    }
}
