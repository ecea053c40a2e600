package io.tsflow.rollup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.rollup.rules.RulesYaml;
import io.tsflow.schema.Aggregation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupRowMapperTest {

    private final RollupRowMapper mapper =
            new RollupRowMapper(
                    "ks",
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
        assertThat(mapper.ttlSeconds(bucket("debug.queue", "1m"))).isEqualTo(2 * 86_400);
        assertThat(mapper.ttlSeconds(bucket("debug.queue", "1h"))).isEqualTo(730 * 86_400);
        assertThat(mapper.ttlSeconds(bucket("cpu.load", "1m"))).isEqualTo(90 * 86_400);
        assertThat(mapper.ttlSeconds(bucket("cpu.load", "1d"))).isZero();
    }

    @Test
    void partitionsAreYearsOfTheBucketStartInUtc() {
        long lastMicroOf2025 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000 - 1;
        assertThat(RollupRowMapper.shard(lastMicroOf2025)).isEqualTo("2025");
        assertThat(RollupRowMapper.shard(lastMicroOf2025 + 1)).isEqualTo("2026");
    }
}
