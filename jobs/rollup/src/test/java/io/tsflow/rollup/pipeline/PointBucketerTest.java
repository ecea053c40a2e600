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

class PointBucketerTest {

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
        KeyedOneInputStreamOperatorTestHarness<String, Observation, Aggregation> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PointBucketer(interval, lateness, rules)),
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
            assertThat(harness.getSideOutput(PointBucketer.TOO_LATE))
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
