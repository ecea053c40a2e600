package io.tsflow.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.rollup.RollupSinks;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.testing.flink.TestClusters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway floods topic raw with one-off series (a distinct tag value per reading) while ten rooms
 * report steadily. Ingest (in its start-up grace) lets them through; rollup, limited to 500 series
 * per subtask, keeps the rooms' buckets exact, holds no more series than its limit, and
 * dead-letters the flood's surplus with {@code CARDINALITY_LIMIT}. No job restarts.
 */
class CardinalityFloodTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final int LIMIT = 500;
    private static final int FLOOD = 10_000;
    private static final int ROOMS = 10;
    private static final long START = 1_764_000_000_000L; // 2025-11-24T16:00:00Z, a whole minute

    private static byte[] reading(String tags, long millis, double value) {
        return ("{\"metric\":\"building.temperature\",\"tagset\":{"
                        + tags
                        + "},\"type\":\"tdouble\",\"values\":[["
                        + millis
                        + ","
                        + value
                        + "]]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFloodOfOneOffSeriesIsCutAtTheRollupLimitAndTheRoomsStayExact() throws Exception {
        try (JobChain suite = new JobChain("maxSeriesPerSubtask: " + LIMIT + "\n")) {
            List<byte[]> first = new ArrayList<>();
            for (int room = 0; room < ROOMS; room++) {
                first.add(reading("\"room\":\"r" + room + "\"", START, room));
            }
            suite.uploadStampedAt(System.currentTimeMillis(), first);
            List<byte[]> rest = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                rest.add(reading("\"gateway\":\"flood\",\"id\":\"" + i + "\"", START + i, i));
                if (i % 100 == 0) {
                    int step = i / 100 + 1; // every 10 s for the rooms, 100 steps
                    for (int room = 0; room < ROOMS; room++) {
                        rest.add(
                                reading(
                                        "\"room\":\"r" + room + "\"",
                                        START + step * 10_000L,
                                        room + step));
                    }
                }
            }
            suite.uploadStampedAt(System.currentTimeMillis(), rest);
            suite.runIngest();
            suite.runRollup(0, SinkApplier.table(RollupSinks.rollupTableSink(suite.rollup)));

            Map<ExpectedRollups.BucketKey, ExpectedRollups.Stats> stored = suite.storedBuckets();
            Set<String> series =
                    stored.keySet().stream()
                            .map(ExpectedRollups.BucketKey::series)
                            .collect(Collectors.toSet());
            assertThat(series).hasSizeLessThanOrEqualTo(2 * LIMIT);
            for (int room = 0; room < ROOMS; room++) {
                String id =
                        ExpectedRollups.seriesId(
                                "building.temperature", Map.of("room", "r" + room));
                assertThat(series).contains(id);
                // Minute 16:00 holds the points at 0, 10, ..., 50 s: values room + 0..5.
                ExpectedRollups.Stats minute =
                        stored.get(new ExpectedRollups.BucketKey(id, "1m", START * 1000));
                assertThat(minute.count()).isEqualTo(6);
                assertThat(minute.sum()).isEqualTo(6.0 * room + 15);
            }
            List<String> reasons = suite.deadLetterReasons(suite.rollupDeadLetter);
            assertThat(reasons).isNotEmpty().containsOnly("CARDINALITY_LIMIT");
            // Every flood reading is either rolled up or dead-lettered.
            assertThat(series.size() - ROOMS + reasons.size()).isEqualTo(FLOOD);
        }
    }
}
