package io.tsflow.runtime;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Applies the settings every tsflow job shares to a Flink environment. */
public final class JobEnvironment {

    private JobEnvironment() {}

    /**
     * The environment a job's {@code main} runs in, after the start-up check of its connections
     * ({@link StartupCheck}) has passed, configured as {@link #configure} does.
     */
    public static StreamExecutionEnvironment checkedProduction(JobConfig job) {
        StartupCheck.verify(job.kafka(), job.topicNames(), job.schemaRegistry());
        return configure(StreamExecutionEnvironment.getExecutionEnvironment(), job.checkpoints());
    }

    /**
     * Exactly-once checkpoints as configured; checkpoints are kept on cancellation for manual
     * recovery.
     */
    public static StreamExecutionEnvironment configure(
            StreamExecutionEnvironment env, CheckpointSettings checkpoints) {
        // tsflow's functions never keep or modify a record after emitting it, so chained operators
        // may
        // pass records by reference instead of deep-copying each one through its serializer.
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(checkpoints.interval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        CheckpointConfig config = env.getCheckpointConfig();
        // Timeout and pause come from the cluster unless the job's file sets them: the cluster's
        // are sized for its state (flink-conf/production), a job default would silently win.
        if (checkpoints.timeout() != null) {
            config.setCheckpointTimeout(checkpoints.timeout().toMillis());
        }
        if (checkpoints.minPause() != null) {
            config.setMinPauseBetweenCheckpoints(checkpoints.minPause().toMillis());
        }
        config.setMaxConcurrentCheckpoints(1);
        config.setExternalizedCheckpointCleanup(
                CheckpointConfig.ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
        if (checkpoints.directory() != null) {
            Configuration overrides = new Configuration();
            overrides.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.directory());
            env.configure(overrides);
        }
        return env;
    }
}
