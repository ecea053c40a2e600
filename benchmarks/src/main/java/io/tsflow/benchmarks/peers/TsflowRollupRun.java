package io.tsflow.benchmarks.peers;

import io.tsflow.benchmarks.BenchmarkCluster;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.rollup.RollupJob;
import io.tsflow.rollup.RollupSinks;
import io.tsflow.rollup.config.RollupConfig;
import io.tsflow.runtime.ObservationsInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rollup job's own graph ({@code RollupJob.defineWorkflow}) with its production Kafka source
 * and sinks (bounded at the topic's end), levels 1m and 1h, no Cassandra, on the benchmark cluster.
 */
final class TsflowRollupRun {

    private TsflowRollupRun() {}

    static StreamExecutionEnvironment define(PeerTopics topics, String backend) throws Exception {
        String yaml =
                "kafka: {bootstrapServers: '"
                        + topics.bootstrap()
                        + "'}\n"
                        + "schemaRegistry: {url: '"
                        + topics.registryUrl()
                        + "'}\n"
                        + "storageEnabled: false\n"
                        + "topics: {observations: "
                        + topics.observations()
                        + ", aggregations: "
                        + topics.output()
                        + ", lateObservations: "
                        + topics.output()
                        + "-late, deadLetter: "
                        + topics.output()
                        + "-dead-letter}\n"
                        + "consumerGroup: "
                        + topics.output()
                        + "\n"
                        + "transactionalIdPrefix: "
                        + topics.output()
                        + "\n"
                        + "outOfOrderness: 5s\n"
                        + "levels:\n"
                        + "  - {interval: 1m, allowedLateness: 1m}\n"
                        + "  - {interval: 1h, allowedLateness: 5m}\n";
        RollupConfig config =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        RollupConfig.class,
                        "peer-benchmark");
        StreamExecutionEnvironment env = BenchmarkCluster.environment(backend);
        RollupJob.defineWorkflow(
                env,
                config,
                ObservationsInput.boundedSource(
                        config.kafka(),
                        config.schemaRegistry(),
                        topics.observations(),
                        config.consumerGroup(),
                        "rollup"),
                RollupSinks.production(config));
        return env;
    }
}
