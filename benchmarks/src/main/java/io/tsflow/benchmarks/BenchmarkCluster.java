package io.tsflow.benchmarks;

import io.tsflow.schema.Observation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The MiniCluster environment the job benchmarks run on: parallelism 2, the given state backend
 * (512 MiB managed memory for RocksDB), exactly-once checkpoints every 10 s to local files, no
 * restarts, object reuse as in production. The system property {@code tsflow.bench.timers} ({@code
 * HEAP} or {@code ROCKSDB}) overrides where RocksDB keeps timers, for comparisons, and every system
 * property {@code tsflow.bench.flink.<key>} sets Flink's option {@code <key>}: to look into a run
 * (RocksDB's own log, say) without a build of its own.
 */
public final class BenchmarkCluster {

    private BenchmarkCluster() {}

    public static StreamExecutionEnvironment environment(String backend) throws IOException {
        return environment(backend, new Configuration());
    }

    /**
     * The environment of {@link #environment(String)} for a job that sets options of its own
     * ({@code jobSettings}), as its author would in the job's configuration.
     */
    public static StreamExecutionEnvironment environment(String backend, Configuration jobSettings)
            throws IOException {
        return environment(
                backend, Files.createTempDirectory("tsflow-bench-checkpoints"), jobSettings);
    }

    public static StreamExecutionEnvironment environment(String backend, Path checkpoints) {
        return environment(backend, checkpoints, new Configuration());
    }

    private static StreamExecutionEnvironment environment(
            String backend, Path checkpoints, Configuration jobSettings) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        jobConfiguration(backend, checkpoints, jobSettings));
        env.setParallelism(2);
        env.enableCheckpointing(10_000);
        env.getConfig().enableObjectReuse();
        return env;
    }

    /**
     * A job's configuration: the cluster's settings, the job's own over them, a {@code
     * tsflow.bench.flink.<key>} system property over both (looking into a run changes what it asks
     * for even where the job sets it), and last the run's backend and checkpoint storage.
     */
    static Configuration jobConfiguration(
            String backend, Path checkpoints, Configuration jobSettings) {
        Configuration flink = clusterSettings();
        flink.addAll(jobSettings);
        applySystemProperties(flink);
        flink.set(StateBackendOptions.STATE_BACKEND, backend);
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        return flink;
    }

    /**
     * The cluster every benchmark runs on, whether a job starts its own MiniCluster or runs on a
     * {@link BenchmarkJobRunner}'s: 512 MiB of managed memory, no restarts, and RocksDB as
     * flink-conf/production/config.yaml sets it up: incremental checkpoints, point lookups that
     * skip the files without the key, and index and filter blocks in small partitions (whole ones
     * thrashed the block cache, and every lookup re-read one).
     */
    public static Configuration clusterSettings() {
        Configuration flink = new Configuration();
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(512));
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        flink.setString("state.backend.rocksdb.use-bloom-filter", "true");
        flink.setString("state.backend.rocksdb.memory.partitioned-index-filters", "true");
        String timers = System.getProperty("tsflow.bench.timers");
        if (timers != null) {
            flink.setString("state.backend.rocksdb.timer-service.factory", timers);
        }
        applySystemProperties(flink);
        return flink;
    }

    /**
     * Sets Flink's option {@code <key>} for every system property {@code tsflow.bench.flink.<key>}.
     */
    private static void applySystemProperties(Configuration flink) {
        String prefix = "tsflow.bench.flink.";
        System.getProperties()
                .stringPropertyNames()
                .forEach(
                        name -> {
                            if (name.startsWith(prefix)) {
                                flink.setString(
                                        name.substring(prefix.length()), System.getProperty(name));
                            }
                        });
    }

    /** The readings of {@code source}, timed by their event time with 5 s of disorder. */
    public static DataStream<Observation> timedReadings(
            StreamExecutionEnvironment env, Source<Observation, ?, ?> source, String name) {
        return env.fromSource(
                source,
                WatermarkStrategy.<Observation>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner(
                                (point, previous) -> point.getTimestampMicros() / 1000),
                name);
    }
}
