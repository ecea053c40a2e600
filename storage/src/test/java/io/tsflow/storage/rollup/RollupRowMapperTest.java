package io.tsflow.storage.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RollupRowMapperTest {

    @Test
    void partitionsAreYearsOfTheBucketStartInUtc() {
        long lastMicroOf2025 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000 - 1;
        assertThat(RollupRowMapper.shard(lastMicroOf2025)).isEqualTo("2025");
        assertThat(RollupRowMapper.shard(lastMicroOf2025 + 1)).isEqualTo("2026");
    }
}
