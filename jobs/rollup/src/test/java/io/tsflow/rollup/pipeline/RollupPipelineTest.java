package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.testing.flink.TestClusters;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The levels wired together on a MiniCluster (parallelism 2), checked against a plain-Java
 * computation.
 */
class RollupPipelineTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final List<RollupLevel> LEVELS =
            List.of(
                    RollupLevel.of("1m", Duration.ofMinutes(1)),
                    RollupLevel.of("1h", Duration.ofMinutes(5)),
                    RollupLevel.of("1d", Duration.ofMinutes(5)));
    private static final RollupRules RULES =
            RulesYaml.rules("{name: zoned, metric: '.*', zoneTag: tz}");
    private static final SeriesTiming TIMING =
            new SeriesTiming(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofDays(1));

    /** Points sent alone, and gathered into runs per series before the shuffle. */
    @ParameterizedTest(name = "miniBatch.maxPoints {0}")
    @ValueSource(ints = {1, 500})
    void everyLevelEqualsAnIndependentComputationOverTheRawPoints(int maxPoints) throws Exception {
        // Three series over the Brussels autumn DST change, points every 7 s, out of order by up to
        // 20 s,
        // and some timestamps sent twice with a new value (the later one counts).
        Random random = new Random(3);
        List<Observation> input = new ArrayList<>();
        long start = Instant.parse("2025-10-25T20:00:00Z").toEpochMilli() * 1000;
        long end = Instant.parse("2025-10-27T02:00:00Z").toEpochMilli() * 1000;
        List<Map<String, String>> series =
                List.of(
                        Map.of("tz", "Europe/Brussels", "id", "a"),
                        Map.of("tz", "UTC", "id", "b"),
                        Map.of("tz", "America/New_York", "id", "c"),
                        Map.of("tz", "Europe/Brussels", "id", "d"),
                        Map.of("tz", "Asia/Kolkata", "id", "e"),
                        Map.of("tz", "Australia/Sydney", "id", "f"),
                        Map.of("tz", "UTC", "id", "g"));
        for (long micros = start; micros < end; micros += 7_000_000L) {
            for (Map<String, String> tags : series) {
                input.add(observation(tags, micros, random.nextInt(1000) / 10.0));
                if (random.nextInt(20) == 0) {
                    input.add(observation(tags, micros, random.nextInt(1000) / 10.0));
                }
            }
        }
        for (int i = 0; i + 3 < input.size(); i += 4) {
            if (random.nextBoolean()) {
                Observation swap = input.get(i);
                input.set(i, input.get(i + 3));
                input.set(i + 3, swap);
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Observation> observations =
                env.fromData(Observation.class, input.toArray(new Observation[0]));
        RollupPipeline.Outputs outputs =
                RollupPipeline.define(
                        observations,
                        LEVELS,
                        RULES,
                        TIMING,
                        Long.MAX_VALUE,
                        new MiniBatch(maxPoints, Duration.ofMillis(50)));
        List<Aggregation> emitted = new ArrayList<>();
        outputs.aggregations().executeAndCollect().forEachRemaining(emitted::add);

        // Latest revision per bucket.
        Map<String, Aggregation> latest = new HashMap<>();
        for (Aggregation a : emitted) {
            latest.merge(
                    key(a.getSeriesKey(), a.getInterval(), a.getBucketStartMicros()),
                    a,
                    (x, y) -> y.getRevision() > x.getRevision() ? y : x);
        }

        // The independent computation: the last value per series and timestamp in arrival order,
        // then buckets by
        // java.time truncation in each series' zone.
        Map<String, Map<Long, Double>> points = new LinkedHashMap<>();
        for (Observation o : input) {
            points.computeIfAbsent(o.getSeriesKey(), k -> new HashMap<>())
                    .put(o.getTimestampMicros(), (Double) o.getValue());
        }
        Map<String, double[]> expected = new HashMap<>(); // count, sum, min, max
        for (Observation o : input) {
            ZoneId zone = ZoneId.of(o.getTagset().get("tz"));
            ZonedDateTime at = Instant.ofEpochMilli(o.getTimestampMicros() / 1000).atZone(zone);
            Map<String, Long> starts =
                    Map.of(
                            "1m",
                                    at.truncatedTo(ChronoUnit.MINUTES).toInstant().toEpochMilli()
                                            * 1000,
                            "1h",
                                    at.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli()
                                            * 1000,
                            "1d",
                                    at.toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli()
                                            * 1000);
            starts.forEach(
                    (interval, bucketStart) ->
                            expected.putIfAbsent(
                                    key(o.getSeriesKey(), interval, bucketStart),
                                    new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE}));
        }
        for (Map.Entry<String, Map<Long, Double>> s : points.entrySet()) {
            Observation sample =
                    input.stream()
                            .filter(o -> o.getSeriesKey().equals(s.getKey()))
                            .findFirst()
                            .orElseThrow();
            ZoneId zone = ZoneId.of(sample.getTagset().get("tz"));
            for (Map.Entry<Long, Double> p : s.getValue().entrySet()) {
                ZonedDateTime at = Instant.ofEpochMilli(p.getKey() / 1000).atZone(zone);
                for (String k :
                        List.of(
                                key(
                                        s.getKey(),
                                        "1m",
                                        at.truncatedTo(ChronoUnit.MINUTES)
                                                        .toInstant()
                                                        .toEpochMilli()
                                                * 1000),
                                key(
                                        s.getKey(),
                                        "1h",
                                        at.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli()
                                                * 1000),
                                key(
                                        s.getKey(),
                                        "1d",
                                        at.toLocalDate()
                                                        .atStartOfDay(zone)
                                                        .toInstant()
                                                        .toEpochMilli()
                                                * 1000))) {
                    double[] e = expected.get(k);
                    e[0]++;
                    e[1] += p.getValue();
                    e[2] = Math.min(e[2], p.getValue());
                    e[3] = Math.max(e[3], p.getValue());
                }
            }
        }

        assertThat(input).hasSizeGreaterThan(100_000);
        assertThat(latest.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            Aggregation a = latest.get(e.getKey());
            assertThat(a.getCount()).as(e.getKey()).isEqualTo((long) e.getValue()[0]);
            assertThat(a.getNumeric().getSum())
                    .as(e.getKey())
                    .isCloseTo(e.getValue()[1], within(1e-6));
            assertThat(a.getNumeric().getMin()).as(e.getKey()).isEqualTo(e.getValue()[2]);
            assertThat(a.getNumeric().getMax()).as(e.getKey()).isEqualTo(e.getValue()[3]);
        }
        // The Brussels day of the DST change lasts 25 hours.
        Aggregation longDay =
                latest.get(
                        key(
                                "temp{id=a}",
                                "1d",
                                Instant.parse("2025-10-25T22:00:00Z").toEpochMilli() * 1000));
        assertThat(longDay.getBucketEndMicros() - longDay.getBucketStartMicros())
                .isEqualTo(25L * 3600 * 1_000_000);
    }

    @Test
    void pointsAreGatheredInTheTaskThatDecodesThemWithoutAHopBeforeTheShuffle() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Observation> observations =
                env.fromData(Observation.class, observation(Map.of("tz", "UTC"), 0L, 1.0))
                        .map(point -> point)
                        .name("decode");
        RollupPipeline.define(observations, LEVELS, RULES, TIMING)
                .aggregations()
                .sinkTo(new DiscardingSink<>());
        List<String> tasks = new ArrayList<>();
        env.getStreamGraph().getJobGraph().getVertices().forEach(task -> tasks.add(task.getName()));
        assertThat(tasks).anyMatch(task -> task.matches(".*decode -> runs per series.*"));
        assertThat(tasks).noneMatch(task -> task.startsWith("runs per series"));
    }

    @Test
    void levelsMustGrowAndCoverTheLatenessBelow() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Observation> none =
                env.fromData(Observation.class, observation(Map.of("tz", "UTC"), 0, 1));
        assertThatThrownBy(
                        () ->
                                RollupPipeline.define(
                                        none,
                                        List.of(
                                                RollupLevel.of("1h", Duration.ZERO),
                                                RollupLevel.of("1m", Duration.ZERO)),
                                        RULES,
                                        TIMING))
                .hasMessageContaining("1m cannot be built from 1h");
        assertThatThrownBy(
                        () ->
                                RollupPipeline.define(
                                        none,
                                        List.of(
                                                RollupLevel.of("1m", Duration.ofMinutes(5)),
                                                RollupLevel.of("1h", Duration.ZERO)),
                                        RULES,
                                        TIMING))
                .hasMessageContaining("allow at least its lateness");
    }

    @ParameterizedTest
    @CsvSource({
        "10s, 1m, true",
        "45s, 1m, false",
        "10s, 1d, true",
        "1m, 1h, true",
        "5m, 1h, true",
        "10m, 15m, false",
        "1h, 1d, true",
        "6h, 1d, false",
        "1d, 1w, true",
        "1d, 1mo, true",
        "1w, 1mo, false",
        "15m, 1mo, true"
    })
    void levelsNestOnlyWhereEveryBucketIsWholeInEveryZone(
            String lower, String upper, boolean nests) {
        assertThat(
                        RollupPipeline.nests(
                                io.tsflow.rollup.time.Interval.parse(upper),
                                io.tsflow.rollup.time.Interval.parse(lower)))
                .isEqualTo(nests);
    }

    private static String key(String series, String interval, long start) {
        return series + "|" + interval + "|" + start;
    }

    private static Observation observation(Map<String, String> tags, long micros, double value) {
        return new Observation(
                "temp{id=" + tags.getOrDefault("id", "x") + "}",
                "temp",
                tags,
                "tdouble",
                micros,
                value,
                Origin.MEASURED,
                null);
    }
}
