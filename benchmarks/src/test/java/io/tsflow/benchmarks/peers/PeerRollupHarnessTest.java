package io.tsflow.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.benchmarks.BenchmarkJobRunner;
import io.tsflow.testing.LocalServers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The peers harness at the size CI affords, on the real Kafka and registry: tsflow (both
 * configurations), Flink SQL and Kafka Streams each publish every 1m and 1h bucket of the workload,
 * once, exactly as the harness computes it. {@code ./tsflow bench peers} runs the measured sizes.
 */
class PeerRollupHarnessTest {

    @Test
    void everyPeerPublishesEveryBucketAsTheHarnessComputesIt() throws Exception {
        int series = 40;
        int steps = 75; // 12 min 30 s of readings every 10 s: 13 minutes and 1 hour per series
        PeerWorkload workload = new PeerWorkload(series, (long) series * steps);

        List<PeerRollupHarness.Result> results;
        try (BenchmarkJobRunner runner = BenchmarkJobRunner.start()) {
            results =
                    PeerRollupHarness.runSize(
                            LocalServers.get(),
                            runner,
                            workload,
                            List.of("hashmap"),
                            List.of("tsflow", "tsflow-peers-output", "sql", "streams"),
                            2);
        }

        assertThat(results)
                .extracting(PeerRollupHarness.Result::peer)
                .containsExactly("tsflow", "tsflow, peers' output", "Flink SQL", "Kafka Streams");
        assertThat(results)
                .allSatisfy(
                        result -> {
                            assertThat(result.buckets().expected()).isEqualTo(series * (13 + 1));
                            assertThat(result.buckets().exact())
                                    .as("%s: %s", result.peer(), result.buckets())
                                    .isTrue();
                            // Each Flink peer ran twice (checked exact each time); Kafka Streams
                            // once, after them.
                            assertThat(result.rounds())
                                    .as(result.peer())
                                    .hasSize(result.peer().equals("Kafka Streams") ? 1 : 2);
                        });
    }
}
