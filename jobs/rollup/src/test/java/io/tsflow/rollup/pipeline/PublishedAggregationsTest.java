package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.NumericStats;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class PublishedAggregationsTest {

    private static final RollupRules RULES =
            RulesYaml.rules("{name: hourly-only, metric: power, intervals: [1h], sketch: false}");

    private static Aggregation bucket(String metric, String interval) {
        NumericStats numeric =
                NumericStats.newBuilder()
                        .setSum(3)
                        .setMin(1)
                        .setMax(2)
                        .setMean(1.5)
                        .setSumOfSquares(5)
                        .setVariance(0.25)
                        .setStddev(0.5)
                        .setQuantiles(Map.of("p50", 1.0))
                        .setSketch(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .build();
        return Aggregation.newBuilder()
                .setSeriesKey(metric)
                .setMetric(metric)
                .setTagset(Map.of())
                .setType("tdouble")
                .setInterval(interval)
                .setBucketStartMicros(0)
                .setBucketEndMicros(3_600_000_000L)
                .setCount(2)
                .setFirstTimestampMicros(0)
                .setLastTimestampMicros(1)
                .setNumeric(numeric)
                .build();
    }

    private static List<Aggregation> publish(Aggregation bucket) {
        List<Aggregation> out = new ArrayList<>();
        new PublishedAggregations(RULES).flatMap(bucket, new ListCollector<>(out));
        return out;
    }

    @Test
    void onlyTheRulesIntervalsArePublishedAndTheSketchIsDroppedFromACopy() {
        assertThat(publish(bucket("power", "1m"))).isEmpty();

        Aggregation hour = bucket("power", "1h");
        List<Aggregation> published = publish(hour);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getNumeric().getSketch()).isNull();
        assertThat(published.get(0).getNumeric().getSum()).isEqualTo(3.0);
        // The next level may read the same instance: it keeps its sketch.
        assertThat(hour.getNumeric().getSketch()).isNotNull();
    }

    @Test
    void seriesOfTheDefaultRulePublishEveryIntervalAsIs() {
        Aggregation minute = bucket("temperature", "1m");
        assertThat(publish(minute)).singleElement().isSameAs(minute);
    }

    @Test
    void quantilesAreNamedByTheirPercentile() {
        assertThat(SeriesPolicy.quantileName(0.5)).isEqualTo("p50");
        assertThat(SeriesPolicy.quantileName(0.99)).isEqualTo("p99");
        assertThat(SeriesPolicy.quantileName(0.999)).isEqualTo("p99.9");
        assertThat(SeriesPolicy.quantileName(0.05)).isEqualTo("p5");
    }
}
