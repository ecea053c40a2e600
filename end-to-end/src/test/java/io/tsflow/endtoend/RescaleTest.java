package io.tsflow.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsflow.testing.flink.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rollup and derived-series stopped with a savepoint in the middle of the gateway backlog at
 * parallelism 2, and restored at another parallelism: each series' state moves to the subtask that
 * now owns its key, the per-subtask series counts are spread over the new subtasks, and every 1m,
 * 1h and 1d bucket (in Cassandra and as the latest revision on topic aggregations) and every
 * derived point still equals its independent computation, with no point declared late.
 */
class RescaleTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.withSlots(4);

    private static final GatewayBacklog BACKLOG = new GatewayBacklog(13);
    private static final Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> EXPECTED =
            ExpectedRollups.of(BACKLOG.finalPoints());
    private static final Map<String, Double> EXPECTED_DERIVED =
            ExpectedDerived.of(BACKLOG.finalPoints());

    @TempDir Path savepoints;

    @ParameterizedTest(name = "restored at parallelism {0}")
    @ValueSource(ints = {1, 4})
    void rollupRestoredAtAnotherParallelismLosesAndDoublesNothing(int parallelism)
            throws Exception {
        try (JobChain suite = new JobChain()) {
            rescale(suite, suite::startRollup, suite.rollup.consumerGroup(), parallelism);

            assertThat(suite.count(suite.rollupDeadLetter)).isZero();
            assertThat(suite.count(suite.late)).as("points declared late").isZero();
            List<String> stored = ExpectedRollups.differences(EXPECTED, suite.storedBuckets());
            assertThat(stored).as("rollup table").isEmpty();
            List<String> published =
                    ExpectedRollups.differences(EXPECTED, suite.publishedBuckets());
            assertThat(published).as("latest revisions on aggregations").isEmpty();
        }
    }

    /** The same for derived-series: every derived point equals {@link ExpectedDerived}'s. */
    @ParameterizedTest(name = "restored at parallelism {0}")
    @ValueSource(ints = {1, 4})
    void derivedSeriesRestoredAtAnotherParallelismLosesAndDoublesNothing(int parallelism)
            throws Exception {
        try (JobChain suite = new JobChain()) {
            rescale(
                    suite,
                    suite::startDerivedSeries,
                    suite.derivedSeries.consumerGroup(),
                    parallelism);

            assertThat(suite.count(suite.derivedDeadLetter)).isZero();
            assertThat(ExpectedDerived.differences(EXPECTED_DERIVED, suite.derivedPoints()))
                    .as("derived points")
                    .isEmpty();
        }
    }

    /** How a test starts its job: at a parallelism, from a savepoint or not, paced. */
    interface Start {
        JobClient start(int parallelism, String savepoint, int recordsPerCheckpoint)
                throws Exception;
    }

    /**
     * Ingests the backlog, runs the job at parallelism 2 and stops it with a savepoint mid-stream,
     * then restores it at {@code parallelism} and drains it once it has read everything.
     */
    private void rescale(JobChain suite, Start job, String group, int parallelism)
            throws Exception {
        suite.upload(BACKLOG.inSendingOrder());
        suite.runIngest();
        String savepoint = stopMidStream(suite, job.start(2, null, 250), group);
        drainOnceRead(suite, job.start(parallelism, savepoint, 5_000), group);
    }

    /**
     * Waits until {@code job} has read and committed all of observations, then stops it with a
     * drain, as an operator ends a job: the end of input closes every open bucket and step.
     */
    private void drainOnceRead(JobChain suite, JobClient job, String group) throws Exception {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> suite.kafka.groupConsumedAll(group, suite.observations));
        job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(3, TimeUnit.MINUTES);
    }

    /**
     * Stops {@code job} with a savepoint once a quarter of observations is read and committed by a
     * checkpoint, and checks that it had not read everything.
     */
    private String stopMidStream(JobChain suite, JobClient job, String group) throws Exception {
        long observations =
                suite.kafka.readCommitted(suite.observations, Duration.ofSeconds(60)).size();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> suite.kafka.groupCommittedSum(group) >= observations / 4);
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        assertThat(suite.kafka.groupCommittedSum(group))
                .as("stopped before the end of the backlog")
                .isLessThan(observations);
        return savepoint;
    }
}
