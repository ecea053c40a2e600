package io.tsflow.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsflow.testing.LocalServers;
import io.tsflow.testing.flink.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server is stopped (by its PID, through {@code scripts/services.sh}) while ingest and rollup run
 * on live readings, and started again on its data. In the end every point is one row of the raw
 * table and one record of topic observations, and every rollup bucket, in Cassandra and on topic
 * aggregations, equals the computation from the points sent.
 */
class ServerOutageTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.withSlots(4);

    @TempDir Path savepoints;

    /**
     * Cassandra down for a minute: the jobs may not fail (no restart is allowed). Their Cassandra
     * writers wait, the sources are held back, and everything catches up afterwards.
     */
    @Test
    void aStoppedCassandraHoldsTheJobsBackAndLosesAndDoublesNothing() throws Exception {
        runThroughOutage("cassandra", 60, 0);
    }

    /**
     * Cassandra down for ten minutes, with the test cluster's checkpoint settings those of
     * production (a 10-minute timeout from the cluster, three expiries tolerated): the checkpoint
     * that waits for the writes through the outage may expire, and still the jobs neither fail nor
     * restart, and the Kafka transactions left open (15-minute timeout) are committed afterwards.
     * Runs with profile long-tests, as {@code ./tsflow test} does.
     */
    @Test
    @Tag("long")
    void cassandraStoppedForTenMinutesHoldsTheJobsBackAndLosesAndDoublesNothing() throws Exception {
        runThroughOutage("cassandra", 600, 0, "stop", "resume", false);
    }

    /**
     * The Kafka broker down for 30 s: the jobs' Kafka clients fail, and the jobs restart from their
     * last checkpoint until the broker is back; transactions left open are aborted or re-committed.
     */
    @Test
    void aStoppedKafkaBrokerRestartsTheJobsAndLosesAndDoublesNothing() throws Exception {
        runThroughOutage("kafka", 30, 50);
    }

    /**
     * The broker stopped the moment ingest's checkpoint completes (its source commits the offsets
     * on completion, beside the sinks committing their transactions): the transactions of that
     * checkpoint may be committed, half committed or not at all when the broker goes; the restore
     * must commit them, not abort them and not write them twice.
     */
    @Test
    void aKafkaBrokerStoppedRightAfterACheckpointLosesAndDoublesNothing() throws Exception {
        runThroughOutage("kafka", 30, 50, "stop", "resume", true);
    }

    /**
     * The schema registry unresponsive for a minute (frozen with SIGSTOP: the local Apicurio keeps
     * schemas in memory, so a stop would lose every id): running jobs know the ids they use and
     * must not notice; nothing may fail.
     */
    @Test
    void anUnresponsiveRegistryDisturbsNoRunningJob() throws Exception {
        runThroughOutage("registry", 60, 0, "freeze", "thaw", false);
    }

    private void runThroughOutage(String server, int seconds, int restarts) throws Exception {
        runThroughOutage(server, seconds, restarts, "stop", "resume", false);
    }

    private void runThroughOutage(
            String server,
            int seconds,
            int restarts,
            String stop,
            String resume,
            boolean afterCheckpoint)
            throws Exception {
        try (JobChain suite = new JobChain();
                LiveGateway gateway = new LiveGateway(suite.kafka.producer(), suite.raw, 10)) {
            JobClient ingest = suite.startIngest(restarts);
            JobClient rollup = suite.startRollup(restarts);
            gateway.start(200);
            await().atMost(Duration.ofMinutes(2)).until(() -> suite.rawRows() >= 200);
            if (afterCheckpoint) {
                long committed = suite.kafka.groupCommittedSum(suite.ingest.consumerGroup());
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(5))
                        .until(
                                () ->
                                        suite.kafka.groupCommittedSum(suite.ingest.consumerGroup())
                                                > committed);
            }

            LocalServers.services(stop, server);
            try {
                long sentAtStop = gateway.pointsSent();
                // The outage lasts this long, whatever the jobs do meanwhile.
                TimeUnit.SECONDS.sleep(seconds);
                assertThat(gateway.pointsSent()).isGreaterThan(sentAtStop);
                if (restarts == 0) {
                    assertThat(ingest.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                    assertThat(rollup.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                }
            } finally {
                LocalServers.services(resume, server);
            }
            long sentAtResume = gateway.pointsSent();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.pointsSent() >= sentAtResume + 200);
            Map<GatewayBacklog.Series, TreeMap<Long, Double>> points = gateway.stop();
            long sent = points.values().stream().mapToLong(TreeMap::size).sum();

            await().atMost(Duration.ofMinutes(3))
                    .ignoreExceptions() // the test's own session reconnects too
                    .until(() -> suite.rawRows() == sent);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () ->
                                    suite.kafka.groupConsumedAll(
                                            suite.rollup.consumerGroup(), suite.observations));
            // Drain: the end of input closes every open bucket.
            rollup.stopWithSavepoint(
                            true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(3, TimeUnit.MINUTES);
            assertThat(ingest.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            ingest.cancel().get(1, TimeUnit.MINUTES);

            assertThat(suite.rawRows()).isEqualTo(sent);
            assertThat(suite.kafka.readCommitted(suite.observations, Duration.ofSeconds(60)))
                    .as("observations, each point once")
                    .hasSize((int) sent);
            assertThat(suite.count(suite.ingestDeadLetter)).isZero();
            assertThat(suite.count(suite.rollupDeadLetter)).isZero();
            assertThat(suite.count(suite.late)).as("points declared late").isZero();
            Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> expected =
                    ExpectedRollups.of(points);
            List<String> stored = ExpectedRollups.differences(expected, suite.storedBuckets());
            assertThat(stored).as("rollup table").isEmpty();
            List<String> published =
                    ExpectedRollups.differences(expected, suite.publishedBuckets());
            assertThat(published).as("latest revisions on aggregations").isEmpty();
        }
    }
}
