package io.tsflow.rollup.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * one: quantiles over part of a bucket's points would be wrong, none is honest.
 */
public final class NumericStats {

    public static final double SKETCH_RELATIVE_ACCURACY = 0.01;

    /**
     * The largest magnitude the quantile sketch can hold (just below Double.MAX_VALUE / 1.01): a
     * larger value would make it throw.
     */
    public static final double MAX_MAGNITUDE =
            DDSketches.unboundedDense(SKETCH_RELATIVE_ACCURACY)
                    .getIndexMapping()
                    .maxIndexableValue();

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

    public NumericStats() {
        this(DDSketches.unboundedDense(SKETCH_RELATIVE_ACCURACY));
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
            GrowingByteArrayOutput encoded = encodedSketch();
            out.writeInt(encoded.numWrittenBytes());
            out.write(encoded.backingArray(), 0, encoded.numWrittenBytes());
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
     * only if {@link #hasSketch()}.
     */
    public ByteBuffer sketchBytes() {
        return ByteBuffer.wrap(encodedSketch().trimmedCopy());
    }

    private GrowingByteArrayOutput encodedSketch() {
        try {
            GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
            sketch().encode(out, false);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a DDSketch", e);
        }
    }

    private DDSketch sketch() {
        if (sketch == null) {
            throw new IllegalStateException("these statistics were kept without a sketch");
        }
        return sketch;
    }

    /** Decodes a sketch written by {@link #sketchBytes()}. */
    public static DDSketch decodeSketch(byte[] bytes) {
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
        } catch (IOException e) {
            throw new UncheckedIOException("not a DDSketch", e);
        }
    }
}
