package io.tsflow.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Maven passes the mini-batch properties blank when they are not given on the command line. */
class TsflowRollupRunTest {

    @Test
    void blankOrMissingPropertiesLeaveTheJobsDefault() {
        assertThat(TsflowRollupRun.miniBatchSection(null, null)).isEmpty();
        assertThat(TsflowRollupRun.miniBatchSection("", " ")).isEmpty();
    }

    @Test
    void eitherPropertyAloneSetsOnlyItsKey() {
        assertThat(TsflowRollupRun.miniBatchSection("50000", ""))
                .isEqualTo("miniBatch: {maxPoints: 50000}\n");
        assertThat(TsflowRollupRun.miniBatchSection(null, "1s"))
                .isEqualTo("miniBatch: {maxDelay: 1s}\n");
    }

    @Test
    void bothPropertiesSetBothKeys() {
        assertThat(TsflowRollupRun.miniBatchSection(" 1 ", "200ms"))
                .isEqualTo("miniBatch: {maxPoints: 1, maxDelay: 200ms}\n");
    }
}
