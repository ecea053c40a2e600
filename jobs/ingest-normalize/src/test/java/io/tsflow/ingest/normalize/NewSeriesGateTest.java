package io.tsflow.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.ingest.config.NewSeriesLimit;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NewSeriesGateTest {

    private static final long T0 = 1_000_000L;
    private static final NewSeriesLimit THREE_A_MINUTE =
            new NewSeriesLimit(3, 1_000, Duration.ofMinutes(10));

    private static NewSeriesGate fresh() {
        return new NewSeriesGate(THREE_A_MINUTE, T0, new long[0], false);
    }

    @Test
    void aMinutesWorthOfNewSeriesPassesThenOnlyKnownOnesUntilTokensRefill() {
        NewSeriesGate gate = fresh();
        assertThat(gate.admit("a", T0)).isTrue();
        assertThat(gate.admit("b", T0)).isTrue();
        assertThat(gate.admit("c", T0)).isTrue();
        assertThat(gate.admit("d", T0)).isFalse();
        // Known series always pass; a refused one is not remembered.
        assertThat(gate.admit("a", T0 + 1)).isTrue();
        assertThat(gate.admit("d", T0 + 1)).isFalse();
        // A token every 20 s.
        assertThat(gate.admit("d", T0 + 19_999)).isFalse();
        assertThat(gate.admit("d", T0 + 20_000)).isTrue();
        assertThat(gate.admit("e", T0 + 20_001)).isFalse();
        assertThat(gate.admit("d", T0 + 20_002)).isTrue();
    }

    @Test
    void everySeriesPassesDuringTheStartupGraceAndIsRememberedAfterIt() {
        NewSeriesGate gate = new NewSeriesGate(THREE_A_MINUTE, T0, new long[0], true);
        IntStream.range(0, 100).forEach(i -> assertThat(gate.admit("s" + i, T0 + i)).isTrue());
        long after = T0 + Duration.ofMinutes(10).toMillis();
        assertThat(gate.admit("s7", after)).isTrue();
        assertThat(gate.admit("x", after)).isTrue();
        assertThat(gate.admit("y", after)).isTrue();
        assertThat(gate.admit("z", after)).isTrue();
        assertThat(gate.admit("w", after)).isFalse();
    }

    @Test
    void aRestoredGateKnowsTheSeriesOfItsCheckpoint() {
        NewSeriesGate before = fresh();
        before.admit("a", T0);
        before.admit("b", T0);
        NewSeriesGate restored =
                new NewSeriesGate(THREE_A_MINUTE, T0 + 1, before.fingerprints(), false);
        restored.admit("c", T0 + 1);
        restored.admit("d", T0 + 1);
        restored.admit("e", T0 + 1);
        assertThat(restored.admit("f", T0 + 1)).isFalse();
        assertThat(restored.admit("a", T0 + 1)).isTrue();
        assertThat(restored.admit("b", T0 + 1)).isTrue();
    }

    @Test
    void knownSeriesStayBoundedAndForgetTheOldestGeneration() {
        KnownSeries known = new KnownSeries(1_000);
        for (int i = 0; i < 2_500; i++) {
            known.add(KnownSeries.fingerprint("s" + i));
        }
        assertThat(known.seen(KnownSeries.fingerprint("s0"))).isFalse();
        assertThat(known.seen(KnownSeries.fingerprint("s1999"))).isTrue();
        assertThat(known.seen(KnownSeries.fingerprint("s2499"))).isTrue();
        assertThat(known.fingerprints()).hasSizeLessThanOrEqualTo(2_000);
    }
}
