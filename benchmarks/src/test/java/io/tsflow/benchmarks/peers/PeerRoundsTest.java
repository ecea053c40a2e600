package io.tsflow.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the harness reports a peer's rounds: by their median, every round listed, none hidden. */
class PeerRoundsTest {

    private static final PublishedBuckets.Comparison EXACT =
            new PublishedBuckets.Comparison(10, 10, 0, 0, 10);
    private static final PublishedBuckets.Comparison ONE_WRONG =
            new PublishedBuckets.Comparison(10, 9, 1, 0, 10);

    private static PeerRollupHarness.Result run(double seconds, PublishedBuckets.Comparison c) {
        return new PeerRollupHarness.Result("tsflow", "hashmap", seconds, List.of(seconds), c);
    }

    @Test
    void anOddNumberOfRoundsIsReportedByTheMiddleOneAndListsEachInTheOrderRun() {
        PeerRollupHarness.Result result =
                PeerRollupHarness.Result.of(
                        List.of(run(9.78, EXACT), run(4.54, EXACT), run(3.87, EXACT)));

        assertThat(result.seconds()).isEqualTo(4.54);
        assertThat(result.rounds()).containsExactly(9.78, 4.54, 3.87);
        assertThat(result.roundsText()).isEqualTo("9.78, 4.54, 3.87");
        assertThat(result.buckets().exact()).isTrue();
    }

    @Test
    void anEvenNumberOfRoundsIsReportedByTheMeanOfTheMiddleTwo() {
        PeerRollupHarness.Result result =
                PeerRollupHarness.Result.of(List.of(run(4.0, EXACT), run(2.0, EXACT)));

        assertThat(result.seconds()).isEqualTo(3.0);
    }

    @Test
    void oneRoundWithWrongBucketsMakesThePeerWrongWhateverTheOthers() {
        PeerRollupHarness.Result result =
                PeerRollupHarness.Result.of(
                        List.of(run(3.0, EXACT), run(2.0, ONE_WRONG), run(4.0, EXACT)));

        assertThat(result.buckets()).isEqualTo(ONE_WRONG);
        assertThat(result.buckets().exact()).isFalse();
    }
}
