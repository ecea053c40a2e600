package io.tsflow.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.flink.FailOnceSink;
import io.tsflow.testing.flink.TestClusters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rollup job on a MiniCluster (parallelism 2) against the real Kafka, registry and Cassandra.
 */
class RollupJobTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final String TWO_LEVELS =
            "levels:\n"
                    + "  - {interval: 1m, allowedLateness: 1m, retention: 90d}\n"
                    + "  - {interval: 1h, allowedLateness: 5m, retention: 730d}\n"
                    + "rules:\n"
                    + "  - {name: requests, metric: 'http\\.requests', counter: true}\n";
    private static final String HOURLY_REQUESTS =
            "levels:\n"
                    + "  - {interval: 1m, allowedLateness: 1m, retention: 90d}\n"
                    + "  - {interval: 1h, allowedLateness: 5m, retention: 730d}\n"
                    + "rules:\n"
                    + "  - name: requests\n"
                    + "    metric: 'http\\.requests'\n"
                    + "    counter: true\n"
                    + "    intervals: [1h]\n"
                    + "    retention: {1h: 7d}\n"
                    + "    quantiles: [0.5, 0.999]\n"
                    + "    sketch: false\n";
    private static final long START = Instant.parse("2025-11-22T10:00:00Z").toEpochMilli() * 1000;

    private static Observation point(
            String series,
            String metric,
            Map<String, String> tags,
            String type,
            long micros,
            Object value) {
        return new Observation(series, metric, tags, type, micros, value, Origin.MEASURED, null);
    }

    private static Observation roomOne(long micros, double celsius) {
        return point(
                "room.temperature{room=\"1\"}",
                "room.temperature",
                Map.of("room", "1"),
                "tdouble",
                micros,
                celsius);
    }

    @Test
    void observationsBecomeBucketsInKafkaAndCassandra() throws Exception {
        try (RollupFixture fixture = new RollupFixture(HOURLY_REQUESTS)) {
            List<Observation> points = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                long micros = START + i * 30_000_000L;
                points.add(roomOne(micros, 20.0 + i % 7));
                points.add(
                        point(
                                "http.requests{host=\"a\"}",
                                "http.requests",
                                Map.of("host", "a"),
                                "tlong",
                                micros,
                                (long) (i < 100 ? i * 10 : (i - 100) * 10)));
            }
            fixture.send(points, "not avro".getBytes(StandardCharsets.UTF_8));
            fixture.run(0, SinkApplier.table(RollupSinks.rollupTableSink(fixture.config)));

            Map<String, Aggregation> latest = fixture.latestBuckets();
            // The requests rule publishes hours only: 60 minutes and an hour of temperature, and
            // the hour of requests (built from its unpublished minutes).
            assertThat(latest).hasSize(60 + 1 + 1);
            assertThat(latest.keySet())
                    .noneMatch(key -> key.startsWith("http.requests{host=\"a\"}|1m|"));
            Aggregation hour = latest.get("room.temperature{room=\"1\"}|1h|" + START);
            assertThat(hour.getCount()).isEqualTo(120);
            assertThat(hour.getNumeric().getMin()).isEqualTo(20.0);
            assertThat(hour.getNumeric().getMax()).isEqualTo(26.0);
            // The counter restarted at point 100: 990 before the reset, then 0..190 after it.
            Aggregation requestsHour = latest.get("http.requests{host=\"a\"}|1h|" + START);
            assertThat(requestsHour.getNumeric().getCounterIncrease()).isEqualTo(990.0 + 190.0);
            assertThat(requestsHour.getNumeric().getQuantiles()).containsOnlyKeys("p50", "p99.9");
            assertThat(requestsHour.getNumeric().getSketch()).isNull();
            assertThat(hour.getNumeric().getSketch()).isNotNull();
            assertThat(
                            latest.get("room.temperature{room=\"1\"}|1m|" + (START + 60_000_000L))
                                    .getCount())
                    .isEqualTo(2);

            assertThat(fixture.deadLetters())
                    .extracting(Rejected::getReason)
                    .containsExactly("MALFORMED_AVRO");

            assertThat(fixture.rows()).isEqualTo(latest.size());
            Row row =
                    fixture.cassandra
                            .execute(
                                    "SELECT count, max, quantiles, last_value FROM "
                                            + fixture.keyspace
                                            + ".rollups WHERE series_key ="
                                            + " 'room.temperature{room=\"1\"}' AND interval = '1h'"
                                            + " AND shard = '2025' AND bucket_start_micros = "
                                            + START)
                            .one();
            assertThat(row.getLong("count")).isEqualTo(120);
            assertThat(row.getDouble("max")).isEqualTo(26.0);
            assertThat(row.getDouble("last_value")).isEqualTo(20.0 + 119 % 7);
            assertThat(row.getMap("quantiles", String.class, Double.class))
                    .containsKeys("p50", "p90", "p95", "p99");
            // Each row expires after its rule's retention for the interval, else the level's.
            assertThat(ttlOfHour(fixture, "room.temperature{room=\"1\"}"))
                    .isBetween(730 * 86_400 - 3_600, 730 * 86_400);
            assertThat(ttlOfHour(fixture, "http.requests{host=\"a\"}"))
                    .isBetween(7 * 86_400 - 3_600, 7 * 86_400);
        }
    }

    /**
     * A producer other than ingest can put a series on topic observations whose key Cassandra
     * refuses (over 64 KiB). Its buckets still reach topic aggregations; each refused row becomes a
     * STORAGE_REFUSED dead letter, and the job goes on storing the other series.
     */
    @Test
    void aBucketCassandraRefusesBecomesADeadLetterAndTheOtherSeriesAreStored() throws Exception {
        try (RollupFixture fixture = new RollupFixture(TWO_LEVELS)) {
            Map<String, String> hugeTags = Map.of("note", "n".repeat(70_000));
            String huge = SeriesKey.of("room.temperature", new TreeMap<>(hugeTags));
            List<Observation> points = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long micros = START + i * 30_000_000L;
                points.add(roomOne(micros, 20.0 + i));
                points.add(point(huge, "room.temperature", hugeTags, "tdouble", micros, 1.0));
            }
            fixture.send(points);
            fixture.run(0, SinkApplier.table(RollupSinks.rollupTableSink(fixture.config)));

            Map<String, Aggregation> latest = fixture.latestBuckets();
            List<String> hugeBuckets =
                    latest.values().stream()
                            .filter(bucket -> bucket.getSeriesKey().equals(huge))
                            .map(
                                    bucket ->
                                            bucket.getInterval()
                                                    + "@"
                                                    + bucket.getBucketStartMicros())
                            .toList();
            assertThat(hugeBuckets).hasSize(5 + 1);
            List<Rejected> refused = fixture.deadLetters();
            assertThat(refused)
                    .isNotEmpty()
                    .allSatisfy(
                            letter -> {
                                assertThat(letter.getReason()).isEqualTo("STORAGE_REFUSED");
                                assertThat(letter.getJob()).isEqualTo("rollup");
                                assertThat(letter.getMetric()).isEqualTo("room.temperature");
                                assertThat(letter.getMessage()).contains("Key length");
                            });
            List<String> refusedBuckets =
                    refused.stream()
                            .map(letter -> StandardCharsets.UTF_8.decode(letter.getOriginal()))
                            .map(CharSequence::toString)
                            .peek(original -> assertThat(original).contains(hugeTags.get("note")))
                            .map(RollupJobTest::intervalAndStart)
                            .distinct()
                            .toList();
            assertThat(refusedBuckets).containsExactlyInAnyOrderElementsOf(hugeBuckets);
            // Every bucket of the other series is stored, and none of the refused one.
            assertThat(fixture.rows()).isEqualTo(latest.size() - hugeBuckets.size());
        }
    }

    /** "1m@<start>" from a bucket's Avro JSON. */
    private static String intervalAndStart(String bucketJson) {
        Matcher interval = Pattern.compile("\"interval\": \"(\\w+)\"").matcher(bucketJson);
        Matcher start = Pattern.compile("\"bucketStartMicros\": (\\d+)").matcher(bucketJson);
        assertThat(interval.find() && start.find()).isTrue();
        return interval.group(1) + "@" + start.group(1);
    }

    private static int ttlOfHour(RollupFixture fixture, String series) {
        return fixture.cassandra
                .execute(
                        "SELECT TTL(count) FROM "
                                + fixture.keyspace
                                + ".rollups WHERE series_key = ? AND interval = '1h'"
                                + " AND shard = '2025' AND bucket_start_micros = ?",
                        series,
                        START)
                .one()
                .getInt(0);
    }

    @Test
    void aFailureMidStreamLeavesExactlyTheExpectedBuckets() throws Exception {
        int series = 20;
        int pointsPerSeries =
                1_440; // every 5 s for 2 hours: 120 minutes of 12 points, 2 hours of 720
        try (RollupFixture fixture = new RollupFixture(TWO_LEVELS)) {
            List<Observation> points = new ArrayList<>();
            for (int i = 0; i < pointsPerSeries; i++) {
                for (int s = 0; s < series; s++) {
                    points.add(
                            point(
                                    "sensor{id=\"" + s + "\"}",
                                    "sensor",
                                    Map.of("id", Integer.toString(s)),
                                    "tdouble",
                                    START + i * 5_000_000L,
                                    (double) (i % 100)));
                }
            }
            fixture.send(points);
            String failure = "rollup-exactly-once-" + fixture.keyspace;
            // 2,000 points per reader between checkpoints (about 16 minutes of data): the stream
            // is cut at least 7 times, and more than 200 buckets follow the first cut.
            fixture.runPaced(
                    3,
                    SinkApplier.of(
                            new FailOnceSink<>(
                                    RollupSinks.rollupTableSink(fixture.config), failure, 200)),
                    2_000);
            assertThat(FailOnceSink.failures(failure))
                    .as("the injected failure happened")
                    .isPositive();

            Map<String, Aggregation> latest = fixture.latestBuckets();
            assertThat(latest).hasSize(series * (120 + 2));
            for (Aggregation bucket : latest.values()) {
                assertThat(bucket.getCount())
                        .as(bucket.getSeriesKey() + " " + bucket.getInterval())
                        .isEqualTo(bucket.getInterval().equals("1m") ? 12 : 720);
            }
            assertThat(fixture.rows()).isEqualTo(latest.size());
        }
    }
}
