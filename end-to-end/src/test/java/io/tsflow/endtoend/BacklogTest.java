package io.tsflow.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.rollup.RollupSinks;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.testing.flink.FailOnceSink;
import io.tsflow.testing.flink.TestClusters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rollups after downtime, as the field produces them: five hours of readings from five gateways
 * (gauges and counters, out of order within each series by up to 90 s, some re-sent with a new
 * value, across the Brussels daylight-saving change) wait in topic raw, two partitions, before
 * ingest-normalize and rollup start at parallelism 2 and read them as a backlog. Every 1m, 1h and
 * 1d bucket, in Cassandra and as the latest revision on topic aggregations, must equal the
 * computation in {@link ExpectedRollups}, every derived point to {@link ExpectedDerived}, and no
 * point may be declared late: how the consumers interleave partitions and series must not matter.
 */
class BacklogTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final GatewayBacklog BACKLOG = new GatewayBacklog(13);
    private static final Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> EXPECTED =
            ExpectedRollups.of(BACKLOG.finalPoints());
    private static final Map<String, Double> EXPECTED_DERIVED =
            ExpectedDerived.of(BACKLOG.finalPoints());

    @Test
    void aBacklogRollsUpExactlyWithNothingLate() throws Exception {
        try (JobChain suite = new JobChain()) {
            suite.upload(BACKLOG.inSendingOrder());
            suite.runIngest();
            suite.runRollup(0, SinkApplier.table(RollupSinks.rollupTableSink(suite.rollup)));
            suite.runDerivedSeries();
            assertExact(suite);
            assertDerivedExact(suite);
            // What the jobs stored, read back through the query service.
            QueryReadBack.assertReadsBack(suite, BACKLOG.finalPoints(), EXPECTED);
        }
    }

    @Test
    void aGatewayUploadingTwoHoursLateRollsUpExactlyAndDisturbsNoOtherSeries() throws Exception {
        try (JobChain suite = new JobChain()) {
            suite.upload(BACKLOG.withGatewayDelayed("g4", Duration.ofHours(2)));
            suite.runIngest();
            suite.runRollup(0, SinkApplier.table(RollupSinks.rollupTableSink(suite.rollup)));
            suite.runDerivedSeries();
            assertExact(suite);
            assertDerivedExact(suite);
        }
    }

    @Test
    void aRestartFromCheckpointInTheMiddleOfTheBacklogLosesAndDoublesNothing() throws Exception {
        try (JobChain suite = new JobChain()) {
            suite.upload(BACKLOG.inSendingOrder());
            suite.runIngest();
            String failure = suite.group + "-failure";
            // The failure is injected once, but cancelling the other subtask's Kafka writers in
            // the middle of their transactions can fail them too: room for a few restarts, which
            // must still lose and double nothing. Each reader sends at most 5,000 records between
            // checkpoints (in backlog-sized chunks, as fast as it can): unpaced, the rollup can
            // read the whole backlog before the first checkpoint, and then nothing fails after it.
            suite.runRollupPaced(
                    6,
                    SinkApplier.of(
                            new FailOnceSink<>(
                                    RollupSinks.rollupTableSink(suite.rollup), failure, 1_000)),
                    5_000);
            assertThat(FailOnceSink.failures(failure))
                    .as("the injected failure happened")
                    .isPositive();
            assertExact(suite);
        }
    }

    @Test
    void gatewaysWhoseClocksRunTenYearsAheadDisturbNoOtherSeries() throws Exception {
        try (JobChain suite = new JobChain()) {
            suite.upload(BACKLOG.inSendingOrder());
            // 200 series of gateways whose clocks say ten years from now: their records and
            // their points carry that time.
            long tenYearsAhead = System.currentTimeMillis() + Duration.ofDays(3653).toMillis();
            List<byte[]> skewed = new java.util.ArrayList<>();
            for (int i = 0; i < SKEWED_SERIES; i++) {
                skewed.add(
                        ("{\"metric\":\"building.temperature\",\"tagset\":{\"gateway\":\"skewed\","
                                        + "\"room\":\"s"
                                        + i
                                        + "\"},\"type\":\"tdouble\",\"values\":[["
                                        + (tenYearsAhead + i * 1000L)
                                        + ",21.0]]}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            suite.uploadStampedAt(tenYearsAhead, skewed);
            suite.runIngest();
            assertThat(suite.deadLetterReasons(suite.ingestDeadLetter))
                    .hasSize(SKEWED_SERIES)
                    .containsOnly("TIMESTAMP_IN_FUTURE");
            suite.runRollup(0, SinkApplier.table(RollupSinks.rollupTableSink(suite.rollup)));
            suite.runDerivedSeries();
            assertRollupsExact(suite);
            assertDerivedExact(suite);
        }
    }

    private static final int SKEWED_SERIES = 200;

    private static void assertDerivedExact(JobChain suite) throws Exception {
        assertThat(suite.count(suite.derivedDeadLetter)).isZero();
        // 40 rooms x 900 points, and 5 gateways x 301 minutes (the last one holds 02:59:40).
        assertThat(EXPECTED_DERIVED).hasSize(40 * 900 + 5 * 301);
        assertThat(ExpectedDerived.differences(EXPECTED_DERIVED, suite.derivedPoints()))
                .as("derived points")
                .isEmpty();
    }

    private static void assertExact(JobChain suite) throws Exception {
        assertThat(suite.count(suite.ingestDeadLetter)).isZero();
        assertRollupsExact(suite);
    }

    private static void assertRollupsExact(JobChain suite) throws Exception {
        assertThat(suite.count(suite.rollupDeadLetter)).isZero();
        assertThat(suite.count(suite.late)).as("points declared late").isZero();
        assertThat(EXPECTED).hasSize(45 * (300 + 5 + 2));
        List<String> stored = ExpectedRollups.differences(EXPECTED, suite.storedBuckets());
        assertThat(stored).as("rollup table").isEmpty();
        List<String> published = ExpectedRollups.differences(EXPECTED, suite.publishedBuckets());
        assertThat(published).as("latest revisions on aggregations").isEmpty();
    }
}
