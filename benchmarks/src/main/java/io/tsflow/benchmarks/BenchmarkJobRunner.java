package io.tsflow.benchmarks;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One MiniCluster per harness (one task manager, two slots, {@link
 * BenchmarkCluster#clusterSettings()}), started before any timing, that runs the harness's jobs one
 * after the other. A job's wall time runs from its submission to its end, as on a running cluster:
 * starting a MiniCluster per job had added about a second to every measurement.
 */
public final class BenchmarkJobRunner implements AutoCloseable {

    private final MiniCluster cluster;

    private BenchmarkJobRunner(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts the cluster with {@link BenchmarkCluster#clusterSettings()}. */
    public static BenchmarkJobRunner start() throws Exception {
        Configuration flink = BenchmarkCluster.clusterSettings();
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(flink)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        cluster.start();
        return new BenchmarkJobRunner(cluster);
    }

    /**
     * Runs the job defined in {@code env} to its end.
     *
     * @return the nano time of its submission
     * @throws IllegalStateException with the job's own failure as the cause
     */
    public long run(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        JobGraph job = graph.getJobGraph();
        long submitted = System.nanoTime();
        JobResult result =
                cluster.submitJob(job)
                        .thenCompose(ack -> cluster.requestJobResult(job.getJobID()))
                        .get();
        if (!result.isSuccess()) {
            throw new IllegalStateException(
                    name + " failed",
                    result.getSerializedThrowable()
                            .map(e -> e.deserializeError(BenchmarkJobRunner.class.getClassLoader()))
                            .orElse(null));
        }
        return submitted;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
