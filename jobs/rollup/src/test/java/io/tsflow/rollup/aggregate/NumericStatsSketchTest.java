package io.tsflow.rollup.aggregate;

import static io.tsflow.rollup.aggregate.BucketAggregateTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sketch's shortcuts (one shared index mapping, the encoding kept until the statistics change,
 * decoding that skips the shared mapping's bytes) give exactly what DDSketch's own calls give.
 */
class NumericStatsSketchTest {

    private static final double[] QUANTILES = {0.0, 0.01, 0.5, 0.9, 0.99, 1.0};

    private final Random random = new Random(7);

    private static byte[] libraryEncoding(DDSketch sketch) throws IOException {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
        sketch.encode(out, false);
        return out.trimmedCopy();
    }

    private double nextValue() {
        // Negative, zero and positive values: every store of the sketch is written.
        return random.nextInt(10) == 0 ? 0.0 : (random.nextDouble() - 0.3) * 1_000;
    }

    @Test
    void theEncodingEqualsTheLibrarysForTheSameValuesAfterEveryAddAndMerge() throws IOException {
        NumericStats stats = new NumericStats();
        DDSketch reference = DDSketches.unboundedDense(NumericStats.SKETCH_RELATIVE_ACCURACY);
        byte[] previous = null;
        for (int round = 0; round < 20; round++) {
            if (round % 3 == 2) {
                NumericStats later = new NumericStats();
                for (int i = 0; i < 5; i++) {
                    double value = nextValue();
                    later.add(value, CounterMode.RESETS);
                    reference.accept(value);
                }
                // Encoded before the merge: the merge must not reuse either side's encoding.
                later.sketchBytes();
                stats.mergeAfter(later, CounterMode.RESETS);
            } else {
                double value = nextValue();
                stats.add(value, CounterMode.RESETS);
                reference.accept(value);
            }
            byte[] encoded = bytes(stats.sketchBytes());
            assertThat(encoded).as("round %d", round).isEqualTo(libraryEncoding(reference));
            assertThat(encoded).as("round %d changed the sketch", round).isNotEqualTo(previous);
            assertThat(bytes(stats.sketchBytes())).isEqualTo(encoded);
            previous = encoded;
        }
    }

    @Test
    void aDecodedSketchEqualsTheLibrarysDecodingOfTheSameBytes() throws IOException {
        NumericStats stats = new NumericStats();
        for (int i = 0; i < 500; i++) {
            stats.add(nextValue(), CounterMode.RESETS);
        }
        byte[] encoded = bytes(stats.sketchBytes());

        DDSketch decoded = NumericStats.decodeSketch(encoded);
        DDSketch reference =
                DDSketch.decode(ByteArrayInput.wrap(encoded), UnboundedSizeDenseStore::new);

        assertThat(decoded.getIndexMapping()).isEqualTo(reference.getIndexMapping());
        // The shared mapping, not one decoded again: the bytes' mapping was skipped.
        assertThat(NumericStats.decodeSketch(encoded).getIndexMapping())
                .isSameAs(decoded.getIndexMapping());
        assertThat(libraryEncoding(decoded)).isEqualTo(encoded);
        for (double q : QUANTILES) {
            assertThat(decoded.getValueAtQuantile(q)).isEqualTo(stats.quantile(q));
        }
    }

    @Test
    void aSketchWithAnotherIndexMappingIsDecodedWithItsOwn() throws IOException {
        DDSketch coarse = DDSketches.logarithmicUnboundedDense(0.05);
        for (int i = 0; i < 200; i++) {
            coarse.accept(Math.abs(nextValue()) + 1);
        }
        byte[] encoded = libraryEncoding(coarse);

        DDSketch decoded = NumericStats.decodeSketch(encoded);

        assertThat(decoded.getIndexMapping()).isEqualTo(coarse.getIndexMapping());
        for (double q : QUANTILES) {
            assertThat(decoded.getValueAtQuantile(q)).isEqualTo(coarse.getValueAtQuantile(q));
        }
    }

    @Test
    void storedStatisticsComeBackWithTheSameSketchAndKeepAddingExactly() throws IOException {
        NumericStats stats = new NumericStats();
        DDSketch reference = DDSketches.unboundedDense(NumericStats.SKETCH_RELATIVE_ACCURACY);
        for (int i = 0; i < 50; i++) {
            double value = nextValue();
            stats.add(value, CounterMode.RESETS);
            reference.accept(value);
        }
        byte[] published = bytes(stats.sketchBytes());
        DataOutputSerializer out = new DataOutputSerializer(256);
        stats.writeTo(out);

        NumericStats stored =
                NumericStats.readFrom(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(bytes(stored.sketchBytes())).isEqualTo(published);

        double value = nextValue();
        stored.add(value, CounterMode.RESETS);
        reference.accept(value);
        assertThat(bytes(stored.sketchBytes())).isEqualTo(libraryEncoding(reference));
    }
}
