package io.tsflow.rollup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.schema.Aggregation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleRetentionTest {

    private final RuleRetention retention =
            new RuleRetention(
                    Map.of(
                            "1m",
                            Duration.ofDays(90),
                            "1h",
                            Duration.ofDays(730),
                            "1d",
                            Duration.ZERO),
                    RulesYaml.rules(
                            "{name: short-lived, metric: 'debug\\..*', retention: {1m: 2d}}"));

    private static Aggregation bucket(String metric, String interval) {
        return Aggregation.newBuilder()
                .setSeriesKey(metric)
                .setMetric(metric)
                .setTagset(Map.of())
                .setType("tlong")
                .setInterval(interval)
                .setBucketStartMicros(0)
                .setBucketEndMicros(60_000_000L)
                .setCount(1)
                .setFirstTimestampMicros(0)
                .setLastTimestampMicros(0)
                .build();
    }

    @Test
    void aRuleOverridesTheLevelsRetentionOnlyForTheIntervalsItNames() {
        assertThat(retention.of(bucket("debug.queue", "1m"))).isEqualTo(Duration.ofDays(2));
        assertThat(retention.of(bucket("debug.queue", "1h"))).isEqualTo(Duration.ofDays(730));
        assertThat(retention.of(bucket("cpu.load", "1m"))).isEqualTo(Duration.ofDays(90));
        assertThat(retention.of(bucket("cpu.load", "1d"))).isZero();
    }
}
