package io.tsflow.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.schema.Aggregation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's check must fail a peer whose output is wrong in any way. */
class PublishedBucketsTest {

    private static final long MINUTE = 60_000_000L;

    private static Aggregation bucket(String series, long start, int revision, double... values) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        Aggregation bucket =
                PeerAggregations.of(
                        series, "1m", start, start + MINUTE, values.length, sum, min, max);
        bucket.setRevision(revision);
        return bucket;
    }

    private static BucketValues values(double... values) {
        Aggregation bucket = bucket("any", 0, 0, values);
        return new BucketValues(
                bucket.getCount(),
                bucket.getNumeric().getSum(),
                bucket.getNumeric().getMin(),
                bucket.getNumeric().getMax(),
                bucket.getNumeric().getMean());
    }

    private static final Map<String, BucketValues> EXPECTED =
            Map.of(
                    BucketValues.key("a", "1m", 0), values(1, 2),
                    BucketValues.key("b", "1m", 0), values(5),
                    BucketValues.key("c", "1m", MINUTE), values(7, 8, 9));

    @Test
    void everyExpectedBucketPublishedOnceIsExact() {
        PublishedBuckets published = new PublishedBuckets();
        published.add(bucket("a", 0, 0, 1, 2));
        published.add(bucket("b", 0, 0, 5));
        published.add(bucket("c", MINUTE, 0, 9, 8, 7)); // another order, the same sums
        published.add(bucket(PeerWorkload.FLUSH_METRIC + "{partition=\"0\"}", 0, 0, 0));

        PublishedBuckets.Comparison comparison = published.compareWith(EXPECTED);

        assertThat(comparison.exact()).as(comparison.toString()).isTrue();
        assertThat(comparison.matching()).isEqualTo(3);
        assertThat(comparison.records()).isEqualTo(4);
    }

    @Test
    void aWrongMissingOrUnexpectedBucketFailsTheCheckAndTheLatestRevisionCounts() {
        PublishedBuckets published = new PublishedBuckets();
        published.add(bucket("a", 0, 0, 1)); // revised below
        published.add(bucket("a", 0, 1, 1, 2));
        published.add(bucket("a", 0, 0, 1)); // an older revision read later changes nothing
        published.add(bucket("b", 0, 0, 5, 5)); // one point counted twice
        published.add(bucket("d", 0, 0, 3)); // nobody expected it
        // c never published

        PublishedBuckets.Comparison comparison = published.compareWith(EXPECTED);

        assertThat(comparison.exact()).isFalse();
        assertThat(comparison)
                .extracting(
                        PublishedBuckets.Comparison::expected,
                        PublishedBuckets.Comparison::matching,
                        PublishedBuckets.Comparison::wrong,
                        PublishedBuckets.Comparison::missing,
                        PublishedBuckets.Comparison::records)
                .containsExactly(3, 1, 2, 1, 5L);
    }

    @Test
    void aSumOffInItsLastBitsStillMatchesButNotBeyondTheTolerance() {
        BucketValues want = new BucketValues(3, 0.6, 0.1, 0.3, 0.2);
        assertThat(
                        new BucketValues(3, 0.1 + 0.2 + 0.3, 0.1, 0.3, (0.1 + 0.2 + 0.3) / 3)
                                .matches(want))
                .isTrue();
        assertThat(new BucketValues(3, 0.6000001, 0.1, 0.3, 0.2).matches(want)).isFalse();
        assertThat(new BucketValues(4, 0.6, 0.1, 0.3, 0.2).matches(want)).isFalse();
    }
}
