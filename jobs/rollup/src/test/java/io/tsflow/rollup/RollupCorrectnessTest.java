package io.tsflow.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.flink.TestClusters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole rollup job over a generated workload, through the real Kafka and Cassandra: every
 * stored bucket, in the table and as the latest revision on the topic, equals a computation written
 * here in plain Java over the same input.
 *
 * <p>The workload: 40 series in five zones, a point every 36 s for 26 hours across the Brussels
 * autumn daylight-saving change (more than 100 k points), points out of order within the watermark
 * delay, points delayed beyond it but within the 1m lateness (they revise buckets that have fired),
 * timestamps sent twice with a changed value (the later one counts), and points hours late (they go
 * to the late topic and nowhere else).
 *
 * <p>Which points are too late is deterministic: a point delayed by at most the watermark delay
 * plus the lateness can never be late, and the source is paced by checkpoints so the watermark has
 * moved far beyond the planted late points before they are read.
 */
class RollupCorrectnessTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final String LEVELS_AND_RULES =
            """
            levels:
              - {interval: 1m, allowedLateness: 2m, retention: 90d}
              - {interval: 1h, allowedLateness: 10m, retention: 730d}
              - {interval: 1d, allowedLateness: 10m, retention: 0s}
            rules:
              - {name: sites, zoneTag: tz}
            """;
    private static final List<String> ZONES =
            List.of(
                    "Europe/Brussels",
                    "America/New_York",
                    "Asia/Kolkata",
                    "UTC",
                    "Australia/Sydney");
    private static final int SERIES = 40;
    private static final long STEP_MICROS = 36_000_000L;
    private static final long START = micros("2025-10-25T18:00:00Z");
    private static final long END = micros("2025-10-26T20:00:00Z");
    private static final int PLANTED_LATE = 50;

    private static long micros(String instant) {
        return Instant.parse(instant).toEpochMilli() * 1000;
    }

    private record Sent(Observation point, boolean plantedLate) {}

    @Test
    void everyStoredBucketEqualsAnIndependentComputation() throws Exception {
        List<Sent> sent = workload(new Random(11));
        try (RollupFixture fixture = new RollupFixture(LEVELS_AND_RULES)) {
            fixture.send(sent.stream().map(Sent::point).toList());
            // 4,000 points per reader between checkpoints: about 2 hours of data per step.
            fixture.runPaced(
                    0, SinkApplier.table(RollupSinks.rollupTableSink(fixture.config)), 4_000);

            Set<String> planted = new HashSet<>();
            sent.stream().filter(Sent::plantedLate).forEach(s -> planted.add(id(s.point())));
            Set<String> late = new HashSet<>();
            ObjectMapper json = new ObjectMapper();
            for (Rejected rejected : fixture.lateObservations()) {
                assertThat(rejected.getReason()).isEqualTo("LATE_FOR_ROLLUP");
                JsonNode point =
                        json.readTree(
                                StandardCharsets.UTF_8.decode(rejected.getOriginal()).toString());
                late.add(
                        point.get("seriesKey").asText()
                                + "@"
                                + point.get("timestampMicros").asLong());
            }
            assertThat(late).isEqualTo(planted);

            Map<String, Expected> expected = expected(sent, late);
            assertThat(sent).hasSizeGreaterThan(100_000);

            Map<String, Aggregation> latest = fixture.latestBuckets();
            assertThat(latest.keySet()).isEqualTo(expected.keySet());
            assertThat(latest.values())
                    .as("late points within the lateness revised buckets that had fired")
                    .anyMatch(bucket -> bucket.getRevision() > 0);
            for (Aggregation bucket : latest.values()) {
                String key =
                        key(
                                bucket.getSeriesKey(),
                                bucket.getInterval(),
                                bucket.getBucketStartMicros());
                Expected e = expected.get(key);
                assertThat(bucket.getBucketEndMicros()).as(key).isEqualTo(e.endMicros);
                assertThat(bucket.getCount()).as(key).isEqualTo(e.values.size());
                assertThat(bucket.getNumeric().getSum()).as(key).isCloseTo(e.sum(), within(1e-6));
                assertThat(bucket.getNumeric().getMin()).as(key).isEqualTo(e.min());
                assertThat(bucket.getNumeric().getMax()).as(key).isEqualTo(e.max());
                assertThat(bucket.getFirstTimestampMicros()).as(key).isEqualTo(e.values.firstKey());
                assertThat(bucket.getLastTimestampMicros()).as(key).isEqualTo(e.values.lastKey());
                assertThat(bucket.getFirst()).as(key).isEqualTo(e.values.firstEntry().getValue());
                assertThat(bucket.getLast()).as(key).isEqualTo(e.values.lastEntry().getValue());
                double median = bucket.getNumeric().getQuantiles().get("p50");
                assertThat(median)
                        .as(key)
                        .isBetween(e.lowerMedian() * 0.98, e.upperMedian() * 1.02);
            }

            Map<String, Row> rows = new HashMap<>();
            for (Row row :
                    fixture.cassandra.execute(
                            "SELECT series_key, interval, bucket_start_micros, bucket_end_micros,"
                                    + " count, sum, min, max FROM "
                                    + fixture.keyspace
                                    + ".rollups")) {
                rows.put(
                        key(
                                row.getString("series_key"),
                                row.getString("interval"),
                                row.getLong("bucket_start_micros")),
                        row);
            }
            assertThat(rows.keySet()).isEqualTo(expected.keySet());
            rows.forEach(
                    (key, row) -> {
                        Expected e = expected.get(key);
                        assertThat(row.getLong("bucket_end_micros")).as(key).isEqualTo(e.endMicros);
                        assertThat(row.getLong("count")).as(key).isEqualTo(e.values.size());
                        assertThat(row.getDouble("sum")).as(key).isCloseTo(e.sum(), within(1e-6));
                        assertThat(row.getDouble("min")).as(key).isEqualTo(e.min());
                        assertThat(row.getDouble("max")).as(key).isEqualTo(e.max());
                    });

            // The Brussels day of the change has 25 hours, the New York day before its change 24.
            long brusselsDay = micros("2025-10-25T22:00:00Z");
            assertThat(expected.get(key(seriesKey(0), "1d", brusselsDay)).endMicros - brusselsDay)
                    .isEqualTo(25L * 3_600_000_000L);
        }
    }

    /** The points in send order. */
    private static List<Sent> workload(Random random) {
        // Arrival position: the point's own time plus a delay; sorting by it gives the send order.
        TreeMap<Long, List<Sent>> byArrival = new TreeMap<>();
        List<Observation> early = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            long offset = s * 700_000L; // the series do not share timestamps
            for (long t = START + offset; t < END; t += STEP_MICROS) {
                Observation point = observation(s, t, 1 + random.nextInt(10_000) / 10.0);
                int kind = random.nextInt(100);
                long delay =
                        kind < 10
                                ? random.nextInt(5_000_000) // within the watermark delay
                                : kind < 13
                                        // beyond it, within the watermark delay plus the lateness
                                        ? 10_000_000L + random.nextInt(110_000_000)
                                        : 0;
                add(byArrival, t + delay, new Sent(point, false));
                if (kind >= 98) {
                    // Sent again a little later with another value: the later one counts.
                    Observation again = observation(s, t, 1 + random.nextInt(10_000) / 10.0);
                    add(byArrival, t + delay + random.nextInt(60_000_000), new Sent(again, false));
                }
                if (t < START + 3 * 3_600_000_000L && early.size() < PLANTED_LATE && kind == 50) {
                    early.add(observation(s, t + 1, 5.0)); // a timestamp of its own
                }
            }
        }
        // The planted points arrive three quarters through the stream, hours after their time.
        long plantedArrival = START + (END - START) * 3 / 4;
        for (Observation point : early) {
            add(byArrival, plantedArrival, new Sent(point, true));
        }
        List<Sent> inOrder = new ArrayList<>();
        byArrival.values().forEach(inOrder::addAll);
        assertThat(early).hasSize(PLANTED_LATE);
        return inOrder;
    }

    private static void add(TreeMap<Long, List<Sent>> byArrival, long at, Sent sent) {
        byArrival.computeIfAbsent(at, k -> new ArrayList<>()).add(sent);
    }

    /** One bucket computed in plain Java: its end and its points by time. */
    private static final class Expected {
        final long endMicros;
        final TreeMap<Long, Double> values = new TreeMap<>();

        Expected(long endMicros) {
            this.endMicros = endMicros;
        }

        double sum() {
            return values.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double min() {
            return values.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double max() {
            return values.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        double lowerMedian() {
            double[] sorted =
                    values.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[(sorted.length - 1) / 2];
        }

        double upperMedian() {
            double[] sorted =
                    values.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[sorted.length / 2];
        }
    }

    private static Map<String, Expected> expected(List<Sent> sent, Set<String> late) {
        // The last value sent for each series and timestamp, late points left out.
        Map<String, Map<Long, Double>> points = new HashMap<>();
        for (Sent s : sent) {
            Observation o = s.point();
            if (!late.contains(id(o))) {
                points.computeIfAbsent(o.getSeriesKey(), k -> new HashMap<>())
                        .put(o.getTimestampMicros(), (Double) o.getValue());
            }
        }
        Map<String, Expected> buckets = new HashMap<>();
        for (int s = 0; s < SERIES; s++) {
            ZoneId zone = ZoneId.of(ZONES.get(s % ZONES.size()));
            for (Map.Entry<Long, Double> p : points.get(seriesKey(s)).entrySet()) {
                ZonedDateTime at = Instant.EPOCH.plus(p.getKey(), ChronoUnit.MICROS).atZone(zone);
                ZonedDateTime minute = at.truncatedTo(ChronoUnit.MINUTES);
                ZonedDateTime hour = at.truncatedTo(ChronoUnit.HOURS);
                ZonedDateTime day = at.toLocalDate().atStartOfDay(zone);
                put(buckets, s, "1m", minute, minute.plusMinutes(1).toInstant(), p);
                put(buckets, s, "1h", hour, hour.toInstant().plus(1, ChronoUnit.HOURS), p);
                put(
                        buckets,
                        s,
                        "1d",
                        day,
                        at.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant(),
                        p);
            }
        }
        return buckets;
    }

    private static void put(
            Map<String, Expected> buckets,
            int series,
            String interval,
            ZonedDateTime start,
            Instant end,
            Map.Entry<Long, Double> point) {
        long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start.toInstant());
        long endMicros = ChronoUnit.MICROS.between(Instant.EPOCH, end);
        buckets.computeIfAbsent(
                        key(seriesKey(series), interval, startMicros), k -> new Expected(endMicros))
                .values
                .put(point.getKey(), point.getValue());
    }

    private static String seriesKey(int series) {
        return "sensor{id=\"" + series + "\",tz=\"" + ZONES.get(series % ZONES.size()) + "\"}";
    }

    private static Observation observation(int series, long micros, double value) {
        return new Observation(
                seriesKey(series),
                "sensor",
                Map.of("id", Integer.toString(series), "tz", ZONES.get(series % ZONES.size())),
                "tdouble",
                micros,
                value,
                Origin.MEASURED,
                null);
    }

    private static String id(Observation point) {
        return point.getSeriesKey() + "@" + point.getTimestampMicros();
    }

    private static String key(String series, String interval, long startMicros) {
        return series + "|" + interval + "|" + startMicros;
    }
}
