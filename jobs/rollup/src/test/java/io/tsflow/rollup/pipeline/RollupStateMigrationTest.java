package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * State written by earlier builds restores into this build, on the heap and on RocksDB alike, and
 * the buckets come out as if nothing had been restored:
 *
 * <ul>
 *   <li>the build before the rollup's own progress layout (commit 2531fa7: the progress a Flink
 *       POJO, the identity an Avro record in state of its own). This build writes the progress with
 *       {@link SeriesProgressSerializer} and keeps the identity inside it, moving it there when the
 *       series next opens a bucket;
 *   <li>the last build of the progress' first layout (commit d2daef6: only the newest open minute's
 *       points in the progress, the older open minutes' in the level's state). This build reads
 *       those where they are, and keeps the recent minutes it opens from now on in the progress.
 * </ul>
 *
 * <p>RocksDB rewrites every entry while it restores; the heap reads them with the serializer they
 * were written with. The snapshots in the test resources were taken from those builds by a harness
 * test on each backend, after the first of the three parts below.
 */
class RollupStateMigrationTest {

    private static final List<RollupLevel> LEVELS =
            List.of(
                    RollupLevel.of("1m", Duration.ofMinutes(2)),
                    RollupLevel.of("1h", Duration.ofMinutes(5)));

    private static final SeriesTiming TIMING =
            new SeriesTiming(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(30));

    private static SeriesRollup current() {
        return new SeriesRollup(LEVELS, new RollupRules(List.of()), TIMING);
    }

    private static Observation point(String series, String type, String instant, Object value) {
        return new Observation(
                series,
                series,
                Map.of("site", "gent"),
                type,
                Instant.parse(instant).toEpochMilli() * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    /**
     * Four series in three parts: a double, a long and a text with late points in every part, and a
     * boolean that sends nothing after the first, so that only the end of the input reads its
     * restored identity and progress.
     */
    private static final List<List<Observation>> PARTS =
            List.of(
                    List.of(
                            point("temp", "tdouble", "2025-11-22T10:00:05Z", 1.5),
                            point("count", "tlong", "2025-11-22T10:00:06Z", 10L),
                            point("state", "ttext", "2025-11-22T10:00:07Z", "open"),
                            point("door", "tbool", "2025-11-22T10:00:08Z", true),
                            point("door", "tbool", "2025-11-22T10:00:09Z", false),
                            point("temp", "tdouble", "2025-11-22T10:00:40Z", 2.5),
                            point("temp", "tdouble", "2025-11-22T10:01:20Z", 3.5),
                            point("count", "tlong", "2025-11-22T10:01:25Z", 12L),
                            point("state", "ttext", "2025-11-22T10:01:30Z", "closed"),
                            point("temp", "tdouble", "2025-11-22T10:01:05Z", 4.5)),
                    List.of(
                            // revises 10:00 of temp, which fired before the first snapshot
                            point("temp", "tdouble", "2025-11-22T10:00:50Z", 5.5),
                            point("count", "tlong", "2025-11-22T10:02:40Z", 15L),
                            point("state", "ttext", "2025-11-22T10:02:41Z", "ajar ✓"),
                            point("temp", "tdouble", "2025-11-22T10:02:30Z", 6.5),
                            point("count", "tlong", "2025-11-22T10:01:50Z", 13L)),
                    List.of(
                            point("temp", "tdouble", "2025-11-22T10:03:10Z", 7.5),
                            point("state", "ttext", "2025-11-22T10:01:45Z", "shut"),
                            point("count", "tlong", "2025-11-22T10:04:00Z", 20L),
                            point("temp", "tdouble", "2025-11-22T10:02:35Z", 8.5)));

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, PointRun, Aggregation> harness,
            List<Observation> points)
            throws Exception {
        for (Observation point : points) {
            harness.processElement(new StreamRecord<>(ShuffledRuns.of(point)));
        }
    }

    private static Map<String, List<Aggregation>> bySeries(List<Aggregation> buckets) {
        Map<String, List<Aggregation>> bySeries = new HashMap<>();
        for (Aggregation bucket : buckets) {
            bySeries.computeIfAbsent(bucket.getSeriesKey(), key -> new ArrayList<>()).add(bucket);
        }
        return bySeries;
    }

    @ParameterizedTest
    @CsvSource({
        "before-own-serializers, hashmap",
        "before-own-serializers, rocksdb",
        "progress-layout-1, hashmap",
        "progress-layout-1, rocksdb"
    })
    void stateWrittenByEarlierBuildsRestoresMigratesAndRestoresAgainExactly(
            String build, String backend) throws Exception {
        List<Aggregation> uninterrupted;
        try (var harness = RollupHarness.open(current(), backend, null)) {
            send(harness, PARTS.get(0));
            harness.getOutput().clear(); // the earlier build emitted these before its snapshot
            send(harness, PARTS.get(1));
            send(harness, PARTS.get(2));
            // This build keeps the identity in the progress: one entry per series, not two.
            assertThat(StateKeys.keysIn(harness, "series-progress"))
                    .containsExactlyInAnyOrder("temp", "count", "state", "door");
            assertThat(StateKeys.keysIn(harness, "identity")).isEmpty();
            // ... and the index of the minutes stored for an hour in the progress too.
            assertThat(StateKeys.keysIn(harness, "lower-buckets-1h")).isNotEmpty();
            assertThat(StateKeys.keysIn(harness, "lower-buckets-1h-slots")).isEmpty();
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            uninterrupted = harness.extractOutputValues();
        }

        OperatorSubtaskState earlier =
                OperatorSnapshotUtil.readStateHandle(
                        RollupStateMigrationTest.class
                                .getResource(
                                        "/state/series-rollup-"
                                                + build
                                                + "-"
                                                + backend
                                                + ".snapshot")
                                .getPath());
        List<Aggregation> restored = new ArrayList<>();
        OperatorSubtaskState migratedState;
        try (var harness = RollupHarness.open(current(), backend, earlier)) {
            send(harness, PARTS.get(1));
            restored.addAll(harness.extractOutputValues());
            // The earlier builds kept the hour's index of its minutes in state: it stays there
            // until the hour closes, and the minutes stored since are added to it.
            assertThat(StateKeys.keysIn(harness, "lower-buckets-1h-slots")).contains("temp");
            migratedState = harness.snapshot(2, 2);
        }
        try (var harness = RollupHarness.open(current(), backend, migratedState)) {
            send(harness, PARTS.get(2));
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            restored.addAll(harness.extractOutputValues());
            assertThat(StateKeys.keysIn(harness, "series-progress")).isEmpty();
            assertThat(StateKeys.keysIn(harness, "identity")).isEmpty();
            assertThat(StateKeys.keysIn(harness, "lower-buckets-1h")).isEmpty();
            assertThat(StateKeys.keysIn(harness, "lower-buckets-1h-slots")).isEmpty();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }

        // Each series' buckets, in the order it emitted them. Across series, the end of the input
        // closes those restored with an end-of-input timer of the earlier build first and the
        // others in the order of the backend's keys: only each series' own order is a contract.
        assertThat(restored).hasSameSizeAs(uninterrupted);
        assertThat(bySeries(restored)).isEqualTo(bySeries(uninterrupted));
        // The parts are chosen so that the restored progress matters: a revision of a bucket that
        // fired before the snapshot, and the newest bucket's points of every type carried across
        // both restores.
        assertThat(uninterrupted)
                .anySatisfy(
                        bucket -> {
                            assertThat(bucket.getSeriesKey()).isEqualTo("temp");
                            assertThat(bucket.getInterval()).isEqualTo("1m");
                            assertThat(bucket.getRevision()).isEqualTo(1);
                            assertThat(bucket.getCount()).isEqualTo(3);
                        });
        assertThat(uninterrupted)
                .filteredOn(bucket -> bucket.getInterval().equals("1h"))
                .extracting(Aggregation::getSeriesKey, Aggregation::getCount)
                .containsExactlyInAnyOrder(
                        tuple("temp", 8L),
                        tuple("count", 5L),
                        tuple("state", 4L),
                        tuple("door", 2L));
    }
}
