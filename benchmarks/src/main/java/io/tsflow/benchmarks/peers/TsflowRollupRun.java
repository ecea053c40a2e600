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
 * The rollup's mini-batch is the job's default unless {@code -Dtsflow.bench.miniBatch} (points) and
 * {@code -Dtsflow.bench.miniBatchDelay} (a duration such as {@code 1s}) say otherwise, its idleness
 * unless {@code -Dtsflow.bench.idleness} (a duration) does. With {@code peersOutput}, one rule for
 * every series publishes what the peers publish: no quantiles, no sketch (so the rollup keeps no
 * sketch either).
 */
final class TsflowRollupRun {

    private TsflowRollupRun() {}

    /**
     * The section {@code miniBatch} from the system properties {@code tsflow.bench.miniBatch}
     * ({@code maxPoints}; {@code 1}: each point alone) and {@code tsflow.bench.miniBatchDelay}
     * ({@code maxDelay}), for comparisons; empty (the job's default) where both are unset or blank,
     * as Maven passes them when not given.
     */
    static String miniBatchSection(String maxPoints, String maxDelay) {
        StringBuilder settings = new StringBuilder();
        if (maxPoints != null && !maxPoints.isBlank()) {
            settings.append("maxPoints: ").append(maxPoints.strip());
        }
        if (maxDelay != null && !maxDelay.isBlank()) {
            settings.append(settings.isEmpty() ? "" : ", ")
                    .append("maxDelay: ")
                    .append(maxDelay.strip());
        }
        return settings.isEmpty() ? "" : "miniBatch: {" + settings + "}\n";
    }

    private static String miniBatch() {
        return miniBatchSection(
                System.getProperty("tsflow.bench.miniBatch"),
                System.getProperty("tsflow.bench.miniBatchDelay"));
    }

    /** The job's idleness, unless {@code tsflow.bench.idleness} sets one (a duration). */
    private static String idleness() {
        String idleness = System.getProperty("tsflow.bench.idleness");
        return idleness == null || idleness.isBlank() ? "" : "idleness: " + idleness.strip() + "\n";
    }

    static StreamExecutionEnvironment define(PeerTopics topics, String backend, boolean peersOutput)
            throws Exception {
        String yaml =
                "kafka: {bootstrapServers: '"
                        + topics.bootstrap()
                        + "'}\n"
                        + "schemaRegistry: {url: '"
                        + topics.registryUrl()
                        + "'}\n"
                        + "storage: {enabled: false}\n"
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
                        + miniBatch()
                        + "outOfOrderness: 5s\n"
                        + idleness()
                        + "levels:\n"
                        + "  - {interval: 1m, allowedLateness: 1m}\n"
                        + "  - {interval: 1h, allowedLateness: 5m}\n"
                        + (peersOutput
                                ? "rules:\n  - {name: peers-output, quantiles: [], sketch: false}\n"
                                : "");
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
