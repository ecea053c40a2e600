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
    private final DDSketch sketch;

    public NumericStats() {
        this(DDSketches.unboundedDense(SKETCH_RELATIVE_ACCURACY));
    }

    private NumericStats(DDSketch sketch) {
        this.sketch = sketch;
    }

    /**
     * Statistics already computed (the level below's bucket), with its sketch as written by
     * sketchBytes.
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
        NumericStats stats = new NumericStats();
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
        stats.sketch.mergeWith(decodeSketch(sketch));
        return stats;
    }

    /** Every field as it is, for {@link #readFrom}: nothing is derived again on the way back. */
    void writeTo(DataOutputView out) throws IOException {
        GrowingByteArrayOutput encoded = encodedSketch();
        out.writeInt(encoded.numWrittenBytes());
        out.write(encoded.backingArray(), 0, encoded.numWrittenBytes());
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
        byte[] encoded = new byte[in.readInt()];
        in.readFully(encoded);
        NumericStats stats = new NumericStats(decodeSketch(encoded));
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
        sketch.accept(value);
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
        sketch.mergeWith(later.sketch);
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

    public double quantile(double q) {
        return sketch.getValueAtQuantile(q);
    }

    /**
     * The sketch in DDSketch's own encoding (index mapping included), for {@link #decodeSketch}.
     */
    public ByteBuffer sketchBytes() {
        return ByteBuffer.wrap(encodedSketch().trimmedCopy());
    }

    private GrowingByteArrayOutput encodedSketch() {
        try {
            GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
            sketch.encode(out, false);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a DDSketch", e);
        }
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
