package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.schema.RawPoint;
import org.junit.jupiter.api.Test;

class NewestBucketPointsTest {

    @Test
    void keepsOnePointPerTimestampInTimeOrderWhateverTheArrivalOrder() {
        NewestBucketPoints bucket = NewestBucketPoints.of(0, new RawPoint(20L, 2.0));
        bucket.put(new RawPoint(40L, 4.0));
        bucket.put(new RawPoint(10L, 1.0));
        bucket.put(new RawPoint(30L, 3.0));
        bucket.put(new RawPoint(20L, 22.0));
        bucket.put(new RawPoint(50L, 5.0));

        assertThat(bucket.points)
                .extracting(RawPoint::getTimestampMicros)
                .containsExactly(10L, 20L, 30L, 40L, 50L);
        assertThat(bucket.points)
                .extracting(RawPoint::getValue)
                .containsExactly(1.0, 22.0, 3.0, 4.0, 5.0);
    }

    @Test
    void aRepeatedLastTimestampReplacesTheLastPoint() {
        NewestBucketPoints bucket = NewestBucketPoints.of(0, new RawPoint(10L, 1.0));
        bucket.put(new RawPoint(10L, 9.0));
        assertThat(bucket.points).extracting(RawPoint::getValue).containsExactly(9.0);
    }
}
