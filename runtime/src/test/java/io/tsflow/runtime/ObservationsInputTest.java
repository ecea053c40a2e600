package io.tsflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;
import org.junit.jupiter.api.Test;

class ObservationsInputTest {

    private static DecodedObservation at(long millis) {
        return DecodedObservation.of(
                new Observation(
                        "temp",
                        "temp",
                        Map.of(),
                        "tdouble",
                        millis * 1000,
                        1.0,
                        Origin.MEASURED,
                        null));
    }

    @Test
    void aPointAheadOfTheWallClockCarriesNoWatermarkIntoTheFuture() {
        WatermarkStrategy<DecodedObservation> strategy =
                new ObservationsInput.Timing(Duration.ofSeconds(5), Duration.ofSeconds(30))
                        .strategy();
        var context =
                new TimestampAssignerSupplier.Context() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return UnregisteredMetricsGroup.createOperatorMetricGroup();
                    }
                };
        TimestampAssigner<DecodedObservation> assigner = strategy.createTimestampAssigner(context);
        WatermarkGenerator<DecodedObservation> generator =
                strategy.createWatermarkGenerator(
                        new WatermarkGeneratorSupplier.Context() {
                            @Override
                            public MetricGroup getMetricGroup() {
                                return UnregisteredMetricsGroup.createOperatorMetricGroup();
                            }

                            @Override
                            public RelativeClock getInputActivityClock() {
                                return SystemClock.getInstance();
                            }
                        });
        List<Long> watermarks = new ArrayList<>();
        WatermarkOutput output =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark watermark) {
                        watermarks.add(watermark.getTimestamp());
                    }

                    @Override
                    public void markIdle() {}

                    @Override
                    public void markActive() {}
                };
        long tenYearsAhead = System.currentTimeMillis() + Duration.ofDays(3653).toMillis();
        DecodedObservation skewed = at(tenYearsAhead);
        long timestamp = assigner.extractTimestamp(skewed, Long.MIN_VALUE);
        generator.onEvent(skewed, timestamp, output);
        generator.onPeriodicEmit(output);
        long now = System.currentTimeMillis();
        assertThat(timestamp).isLessThanOrEqualTo(now);
        assertThat(watermarks).isNotEmpty().allSatisfy(w -> assertThat(w).isLessThan(now));
        // A point of the past keeps its own time.
        long past = now - Duration.ofHours(3).toMillis();
        assertThat(assigner.extractTimestamp(at(past), Long.MIN_VALUE)).isEqualTo(past);
    }
}
