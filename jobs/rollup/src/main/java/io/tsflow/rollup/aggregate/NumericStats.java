package io.tsflow.rollup.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Statistics of a numeric bucket that merge exactly from lower levels: count, sum, min, max, sum of
 * squares, mean and variance (Chan's parallel update of the squared deviations, stable where {@code
 * sumOfSquares/n - mean²} is not), quantiles from a DDSketch (1 % relative accuracy; a merged
 * sketch equals the sketch of all the points), and the counter increase under a {@link
 * CounterMode}.
 *
 * <p>The sketch is the costliest part (a store per bucket, encoded for the level above and decoded
 * again there), so statistics for a series that reports no quantiles and publishes no sketch are
 * kept {@linkplain #withoutSketch() without one}. A merge keeps a sketch only if both sides have
 * one: quantiles over part of a bucket's points would be wrong, none is honest. Every sketch shares
 * one index mapping (immutable), its encoding is kept until the statistics change (a bucket is
 * encoded for the published record and again for the level above), and a sketch encoded with that
 * mapping is decoded without building the mapping again: at a million series each of those was a
 * visible share of closing the buckets.
 */
public final class NumericStats {

    public static final double SKETCH_RELATIVE_ACCURACY = 0.01;

    /**
     * The largest magnitude the quantile sketch can hold (just below Double.MAX_VALUE / 1.01): a
     * larger value would make it throw.
     */
    public static final double MAX_MAGNITUDE;

    /** The mapping of every sketch made here: DDSketch's own choice for an unbounded store. */
    private static final IndexMapping INDEX_MAPPING;

    /** How {@link #INDEX_MAPPING} encodes: the first bytes of every encoded sketch made here. */
    private static final byte[] INDEX_MAPPING_BYTES;

    static {
        INDEX_MAPPING = DDSketches.unboundedDense(SKETCH_RELATIVE_ACCURACY).getIndexMapping();
        MAX_MAGNITUDE = INDEX_MAPPING.maxIndexableValue();
        try {
            GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
            INDEX_MAPPING.encode(out);
            INDEX_MAPPING_BYTES = out.trimmedCopy();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the sketch's index mapping", e);
        }
    }

    /** The sketch length {@link #writeTo} writes for statistics without a sketch. */
    private static final int NO_SKETCH = -1;

    private long count;
    private double sum;
    private double sumOfSquares;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double squaredDeviations;
    private double firstValue;
    private double lastValue;
    private double increase;

    /** Null when the statistics are kept without quantiles. */
    private DDSketch sketch;

    /** The sketch's encoding, null until asked for and again after the sketch changes. */
    private byte[] encodedSketch;

    public NumericStats() {
        this(new DDSketch(INDEX_MAPPING, UnboundedSizeDenseStore::new));
    }

    private NumericStats(DDSketch sketch) {
        this.sketch = sketch;
    }

    /** Statistics that keep no sketch: {@link #hasSketch()} is false, and so stays. */
    public static NumericStats withoutSketch() {
        return new NumericStats(null);
    }

    /**
     * Statistics already computed (the level below's bucket), with its sketch as written by
     * sketchBytes, or null if it kept none.
     */
    public static NumericStats of(
            long count,
            double sum,
            double sumOfSquares,
            double min,
            double max,
            double mean,
            double variance,
            double firstValue,
            double lastValue,
            double increase,
            byte[] sketch) {
        NumericStats stats = new NumericStats(sketch == null ? null : decodeSketch(sketch));
        stats.count = count;
        stats.sum = sum;
        stats.sumOfSquares = sumOfSquares;
        stats.min = min;
        stats.max = max;
        stats.mean = mean;
        stats.squaredDeviations = variance * count;
        stats.firstValue = firstValue;
        stats.lastValue = lastValue;
        stats.increase = increase;
        return stats;
    }

    /**
     * Every field as it is, for {@link #readFrom}: nothing is derived again on the way back. The
     * sketch's length comes first, {@link #NO_SKETCH} if there is none.
     */
    void writeTo(DataOutputView out) throws IOException {
        if (sketch == null) {
            out.writeInt(NO_SKETCH);
        } else {
            byte[] encoded = encodedSketch();
            out.writeInt(encoded.length);
            out.write(encoded);
        }
        out.writeLong(count);
        out.writeDouble(sum);
        out.writeDouble(sumOfSquares);
        out.writeDouble(min);
        out.writeDouble(max);
        out.writeDouble(mean);
        out.writeDouble(squaredDeviations);
        out.writeDouble(firstValue);
        out.writeDouble(lastValue);
        out.writeDouble(increase);
    }

    static NumericStats readFrom(DataInputView in) throws IOException {
        int sketchLength = in.readInt();
        DDSketch sketch = null;
        if (sketchLength != NO_SKETCH) {
            byte[] encoded = new byte[sketchLength];
            in.readFully(encoded);
            sketch = decodeSketch(encoded);
        }
        NumericStats stats = new NumericStats(sketch);
        stats.count = in.readLong();
        stats.sum = in.readDouble();
        stats.sumOfSquares = in.readDouble();
        stats.min = in.readDouble();
        stats.max = in.readDouble();
        stats.mean = in.readDouble();
        stats.squaredDeviations = in.readDouble();
        stats.firstValue = in.readDouble();
        stats.lastValue = in.readDouble();
        stats.increase = in.readDouble();
        return stats;
    }

    /** Adds the next point in time order. */
    public void add(double value, CounterMode counter) {
        if (count == 0) {
            firstValue = value;
        } else {
            increase += counter.increase(lastValue, value);
        }
        lastValue = value;
        count++;
        sum += value;
        sumOfSquares += value * value;
        min = Math.min(min, value);
        max = Math.max(max, value);
        double delta = value - mean;
        mean += delta / count;
        squaredDeviations += delta * (value - mean);
        if (sketch != null) {
            sketch.accept(value);
            encodedSketch = null;
        }
    }

    /**
     * Folds in the bucket that follows this one in time; the counter step between them is counted.
     */
    public void mergeAfter(NumericStats later, CounterMode counter) {
        if (later.count == 0) {
            return;
        }
        if (count == 0) {
            firstValue = later.firstValue;
        } else {
            increase += counter.increase(lastValue, later.firstValue);
        }
        increase += later.increase;
        lastValue = later.lastValue;
        long total = count + later.count;
        double delta = later.mean - mean;
        squaredDeviations +=
                later.squaredDeviations + delta * delta * ((double) count * later.count / total);
        mean += delta * later.count / total;
        count = total;
        sum += later.sum;
        sumOfSquares += later.sumOfSquares;
        min = Math.min(min, later.min);
        max = Math.max(max, later.max);
        if (later.sketch == null) {
            sketch = null;
        } else if (sketch != null) {
            sketch.mergeWith(later.sketch);
        }
        encodedSketch = null;
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    public double sumOfSquares() {
        return sumOfSquares;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double mean() {
        return mean;
    }

    /** Population variance. */
    public double variance() {
        return count == 0 ? 0 : squaredDeviations / count;
    }

    public double stddev() {
        return Math.sqrt(variance());
    }

    /** The counter increase over the bucket's points, resets (or wraps) accounted for. */
    public double increase() {
        return increase;
    }

    /** The counter increase per second over a bucket of {@code bucketSeconds}. */
    public double ratePerSecond(double bucketSeconds) {
        return increase / bucketSeconds;
    }

    /**
     * Whether quantiles and the sketch can be read: false if these statistics, or any bucket merged
     * into them, were kept without a sketch.
     */
    public boolean hasSketch() {
        return sketch != null;
    }

    /** Quantile {@code q} from the sketch; only if {@link #hasSketch()}. */
    public double quantile(double q) {
        return sketch().getValueAtQuantile(q);
    }

    /**
     * The sketch in DDSketch's own encoding (index mapping included), for {@link #decodeSketch};
     * only if {@link #hasSketch()}. The buffer's bytes are the ones these statistics keep: read
     * them, never write into them.
     */
    public ByteBuffer sketchBytes() {
        return ByteBuffer.wrap(encodedSketch());
    }

    private byte[] encodedSketch() {
        if (encodedSketch == null) {
            try {
                GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
                sketch().encode(out, false);
                encodedSketch = out.trimmedCopy();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode a DDSketch", e);
            }
        }
        return encodedSketch;
    }

    private DDSketch sketch() {
        if (sketch == null) {
            throw new IllegalStateException("these statistics were kept without a sketch");
        }
        return sketch;
    }

    /**
     * Decodes a sketch written by {@link #sketchBytes()}. One that begins with the shared mapping's
     * bytes is given that mapping and read from its stores on; any other mapping is decoded.
     */
    public static DDSketch decodeSketch(byte[] bytes) {
        try {
            int mappingLength = INDEX_MAPPING_BYTES.length;
            if (bytes.length >= mappingLength
                    && Arrays.equals(
                            bytes, 0, mappingLength, INDEX_MAPPING_BYTES, 0, mappingLength)) {
                return DDSketch.decode(
                        ByteArrayInput.wrap(bytes, mappingLength, bytes.length - mappingLength),
                        UnboundedSizeDenseStore::new,
                        INDEX_MAPPING);
            }
            return DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
        } catch (IOException e) {
            throw new UncheckedIOException("not a DDSketch", e);
        }
    }
}
