package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SeriesRollupTest {

    private static final RollupRules UTC = new RollupRules(List.of());

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static Observation point(String instant, double value, Map<String, String> tags) {
        return new Observation(
                "temp" + tags,
                "temp",
                tags,
                "tdouble",
                millis(instant) * 1000,
                value,
                Origin.MEASURED,
                null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Observation, Aggregation> harness(
            Interval interval, Duration lateness, RollupRules rules) throws Exception {
        return harness(List.of(new RollupLevel(interval, lateness)), rules);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Observation, Aggregation> harness(
            List<RollupLevel> levels, RollupRules rules) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Observation, Aggregation> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SeriesRollup(levels, rules)),
                        Observation::getSeriesKey,
                        Types.STRING);
        harness.open();
        return harness;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Observation, Aggregation> harness,
            Observation observation)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(observation, observation.getTimestampMicros() / 1000));
    }

    @Test
    void firesAtTheWatermarkRevisesForLatePointsAndForgetsAfterTheLateness() throws Exception {
        try (var harness = harness(Interval.parse("1m"), Duration.ofMinutes(2), UTC)) {
            Map<String, String> tags = Map.of("room", "1");
            send(harness, point("2025-11-22T10:00:05Z", 1.0, tags));
            send(harness, point("2025-11-22T10:00:30Z", 2.0, tags));
            send(harness, point("2025-11-22T10:01:10Z", 10.0, tags));
            harness.processWatermark(new Watermark(millis("2025-11-22T10:00:59.999Z")));

            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            Aggregation first = out.get(0);
            assertThat(first.getBucketStartMicros())
                    .isEqualTo(millis("2025-11-22T10:00:00Z") * 1000);
            assertThat(first.getBucketEndMicros()).isEqualTo(millis("2025-11-22T10:01:00Z") * 1000);
            assertThat(first.getCount()).isEqualTo(2);
            assertThat(first.getRevision()).isZero();
            assertThat(first.getNumeric().getSum()).isEqualTo(3.0);

            // Late but within the allowed lateness: the bucket is emitted again, revised.
            send(harness, point("2025-11-22T10:00:40Z", 4.0, tags));
            // A repeated timestamp with a changed value replaces the earlier point.
            send(harness, point("2025-11-22T10:00:30Z", 5.0, tags));
            out = harness.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(1).getRevision()).isEqualTo(1);
            assertThat(out.get(1).getCount()).isEqualTo(3);
            assertThat(out.get(2).getRevision()).isEqualTo(2);
            assertThat(out.get(2).getCount()).isEqualTo(3);
            assertThat(out.get(2).getNumeric().getSum()).isEqualTo(1.0 + 5.0 + 4.0);
            assertThat(out.get(2).getLast()).isEqualTo(4.0);

            // Past the lateness of the first bucket: it is gone, and a point for it goes to the
            // side output.
            harness.processWatermark(new Watermark(millis("2025-11-22T10:03:00Z")));
            send(harness, point("2025-11-22T10:00:50Z", 9.0, tags));
            assertThat(harness.getSideOutput(SeriesRollup.TOO_LATE))
                    .extracting(StreamRecord::getValue)
                    .extracting(Observation::getValue)
                    .containsExactly(9.0);
            out = harness.extractOutputValues();
            assertThat(out).hasSize(4);
            assertThat(out.get(3).getBucketStartMicros())
                    .isEqualTo(millis("2025-11-22T10:01:00Z") * 1000);

            // Once every bucket's lateness has passed, nothing of the series is left.
            harness.processWatermark(new Watermark(millis("2025-11-22T10:10:00Z")));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void dailyBucketsFollowTheZoneNamedByTheSeriesTag() throws Exception {
        RollupRules rules =
                new RollupRules(
                        List.of(RulesYaml.rule("{name: by-site, metric: temp, zoneTag: tz}")));
        try (var harness = harness(Interval.parse("1d"), Duration.ZERO, rules)) {
            Map<String, String> brussels = Map.of("tz", "Europe/Brussels");
            // 23:30 UTC on 2025-10-25 is already 01:30 on the 26th in Brussels: the 25-hour day.
            send(harness, point("2025-10-25T23:30:00Z", 1.0, brussels));
            send(harness, point("2025-10-26T22:59:00Z", 2.0, brussels));
            harness.processWatermark(new Watermark(millis("2025-10-27T00:00:00Z")));
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            Aggregation day = out.get(0);
            assertThat(day.getTimeZone()).isEqualTo("Europe/Brussels");
            assertThat(day.getBucketStartMicros()).isEqualTo(millis("2025-10-25T22:00:00Z") * 1000);
            assertThat(day.getBucketEndMicros() - day.getBucketStartMicros())
                    .isEqualTo(Duration.ofHours(25).toNanos() / 1000);
            assertThat(day.getCount()).isEqualTo(2);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void eachLevelMergesTheBucketsBelowItAndFiresOncePerWatermarkJump() throws Exception {
        List<RollupLevel> levels =
                List.of(
                        RollupLevel.of("1m", Duration.ofMinutes(1)),
                        RollupLevel.of("1h", Duration.ofMinutes(5)));
        try (var harness = harness(levels, UTC)) {
            Map<String, String> tags = Map.of("room", "2");
            // Two points in each of the first 30 minutes of 10:00, one at 11:00.
            for (int minute = 0; minute < 30; minute++) {
                String at = String.format("2025-11-22T10:%02d:", minute);
                send(harness, point(at + "10Z", minute, tags));
                send(harness, point(at + "40Z", 100 + minute, tags));
            }
            send(harness, point("2025-11-22T11:00:00Z", 7.0, tags));
            // One watermark passes all of them: 30 minutes, then exactly one hour, no revisions.
            harness.processWatermark(new Watermark(millis("2025-11-22T11:00:30Z")));
            List<Aggregation> out = harness.extractOutputValues();
            assertThat(out).hasSize(31);
            assertThat(out.subList(0, 30)).allMatch(bucket -> bucket.getInterval().equals("1m"));
            Aggregation hour = out.get(30);
            assertThat(hour.getInterval()).isEqualTo("1h");
            assertThat(hour.getRevision()).isZero();
            assertThat(hour.getCount()).isEqualTo(60);
            assertThat(hour.getFirst()).isEqualTo(0.0);
            assertThat(hour.getLast()).isEqualTo(129.0);
            assertThat(hour.getNumeric().getMax()).isEqualTo(129.0);

            // A late point revises its minute, and the revision flows up into the hour.
            send(harness, point("2025-11-22T10:59:59Z", 500.0, tags));
            out = harness.extractOutputValues();
            assertThat(out).hasSize(33);
            assertThat(out.get(31).getInterval()).isEqualTo("1m");
            assertThat(out.get(31).getRevision()).isZero();
            assertThat(out.get(32).getInterval()).isEqualTo("1h");
            assertThat(out.get(32).getRevision()).isEqualTo(1);
            assertThat(out.get(32).getCount()).isEqualTo(61);
            assertThat(out.get(32).getLast()).isEqualTo(500.0);

            // After the hour's lateness nothing of the series is left, the open 11:00 bucket aside;
            // once that one closes too, nothing at all.
            harness.processWatermark(new Watermark(millis("2025-11-22T12:10:00Z")));
            assertThat(harness.extractOutputValues())
                    .extracting(Aggregation::getInterval)
                    .containsExactly(
                            "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m",
                            "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m", "1m",
                            "1m", "1m", "1m", "1m", "1m", "1m", "1h", "1m", "1h", "1m", "1h");
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void recordsAndStateUseAvroNotKryo() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(Aggregation.class))
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(Observation.class))
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
    }

    @Test
    void countersReportTheirIncreaseAndRate() throws Exception {
        RollupRules rules =
                new RollupRules(
                        List.of(RulesYaml.rule("{name: requests, metric: temp, counter: true}")));
        try (var harness = harness(Interval.parse("1m"), Duration.ZERO, rules)) {
            Map<String, String> tags = Map.of("host", "a");
            send(harness, point("2025-11-22T10:00:00Z", 100.0, tags));
            send(harness, point("2025-11-22T10:00:20Z", 130.0, tags));
            send(harness, point("2025-11-22T10:00:40Z", 6.0, tags)); // restarted
            harness.processWatermark(new Watermark(millis("2025-11-22T10:01:00Z")));
            Aggregation minute = harness.extractOutputValues().get(0);
            assertThat(minute.getNumeric().getCounterIncrease()).isEqualTo(36.0);
            assertThat(minute.getNumeric().getCounterRatePerSecond()).isEqualTo(36.0 / 60);
        }
    }
}
