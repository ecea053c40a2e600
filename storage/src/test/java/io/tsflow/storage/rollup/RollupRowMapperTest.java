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

    @Test
    void aRangeCoversTheYearsOfItsFirstAndLastMicrosecond() {
        long startOf2026 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000;
        long startOf2027 = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli() * 1000;
        assertThat(RollupRowMapper.shards(startOf2026, startOf2027)).containsExactly("2026");
        assertThat(RollupRowMapper.shards(startOf2026 - 1, startOf2027))
                .containsExactly("2025", "2026");
        assertThat(RollupRowMapper.shards(startOf2026, startOf2027 + 1))
                .containsExactly("2026", "2027");
        assertThat(RollupRowMapper.shards(startOf2026 - 1, startOf2027 + 1))
                .containsExactly("2025", "2026", "2027");
        // Every shard a reader looks in is the one the writer names for some start in the range.
        for (long start : new long[] {startOf2026 - 1, startOf2026, startOf2027 - 1}) {
            assertThat(RollupRowMapper.shards(start, start + 1))
                    .containsExactly(RollupRowMapper.shard(start));
        }
    }
}
