package io.tsflow.rollup.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tsflow.schema.Pos2d;
import io.tsflow.schema.StructuredValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BucketAggregateTest {

    private final Random random = new Random(42);

    /** A counter-like series: rising with occasional resets to small values. */
    private TreeMap<Long, Object> counterPoints(int n) {
        TreeMap<Long, Object> points = new TreeMap<>();
        double value = 100;
        long micros = 1_700_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            micros += 1 + random.nextInt(5_000_000);
            value =
                    random.nextInt(50) == 0
                            ? random.nextDouble() * 10
                            : value + random.nextDouble() * 20;
            points.put(micros, value);
        }
        return points;
    }

    /** Splits time-ordered points into consecutive chunks and merges their aggregates in order. */
    private BucketAggregate mergedFromChunks(
            String type, CounterMode counter, TreeMap<Long, Object> points) {
        List<Long> keys = new ArrayList<>(points.keySet());
        BucketAggregate merged = BucketAggregate.empty(type, counter);
        int from = 0;
        while (from < keys.size()) {
            int to = Math.min(keys.size(), from + 1 + random.nextInt(40));
            SortedMap<Long, Object> chunk =
                    points.subMap(
                            keys.get(from), to == keys.size() ? Long.MAX_VALUE : keys.get(to));
            merged.mergeAfter(BucketAggregate.ofPoints(type, counter, chunk));
            from = to;
        }
        return merged;
    }

    @RepeatedTest(5)
    void mergingLowerLevelsEqualsAggregatingTheRawPoints() {
        TreeMap<Long, Object> points = counterPoints(2_000);
        BucketAggregate direct = BucketAggregate.ofPoints("tdouble", CounterMode.RESETS, points);
        BucketAggregate merged = mergedFromChunks("tdouble", CounterMode.RESETS, points);

        NumericStats a = direct.numeric();
        NumericStats b = merged.numeric();
        assertThat(b.count()).isEqualTo(a.count());
        assertThat(b.min()).isEqualTo(a.min());
        assertThat(b.max()).isEqualTo(a.max());
        assertThat(b.sum()).isCloseTo(a.sum(), within(1e-9 * Math.abs(a.sum())));
        assertThat(b.sumOfSquares()).isCloseTo(a.sumOfSquares(), within(1e-9 * a.sumOfSquares()));
        assertThat(b.mean()).isCloseTo(a.mean(), within(1e-9 * Math.abs(a.mean())));
        assertThat(b.variance()).isCloseTo(a.variance(), within(1e-9 * a.variance()));
        assertThat(b.increase()).isCloseTo(a.increase(), within(1e-9 * a.increase()));
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            assertThat(b.quantile(q)).as("p%s", q).isEqualTo(a.quantile(q));
        }
        assertThat(merged.firstLast().first()).isEqualTo(direct.firstLast().first());
        assertThat(merged.firstLast().lastMicros()).isEqualTo(direct.firstLast().lastMicros());
        assertThat(merged.firstLast().last()).isEqualTo(direct.firstLast().last());
    }

    @Test
    void statisticsMatchAnIndependentComputation() {
        TreeMap<Long, Object> points = counterPoints(5_000);
        double[] values = points.values().stream().mapToDouble(v -> (Double) v).toArray();
        // Plain Java, written without the aggregate classes.
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double increase = 0;
        for (int i = 1; i < values.length; i++) {
            increase += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);

        NumericStats stats =
                BucketAggregate.ofPoints("tdouble", CounterMode.RESETS, points).numeric();
        assertThat(stats.mean()).isCloseTo(mean, within(1e-9 * mean));
        assertThat(stats.variance())
                .isCloseTo(squares / values.length, within(1e-9 * squares / values.length));
        assertThat(stats.stddev()).isCloseTo(Math.sqrt(squares / values.length), within(1e-6));
        assertThat(stats.increase()).isCloseTo(increase, within(1e-9 * increase));
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
            assertThat(stats.quantile(q))
                    .as("p%s", q)
                    .isCloseTo(
                            exact,
                            within(NumericStats.SKETCH_RELATIVE_ACCURACY * Math.abs(exact) + 1e-9));
        }
        assertThat(NumericStats.decodeSketch(bytes(stats.sketchBytes())).getValueAtQuantile(0.5))
                .isEqualTo(stats.quantile(0.5));
    }

    @Test
    void counterResetsAndWrapsAcrossBucketBoundaries() {
        TreeMap<Long, Object> first = new TreeMap<>();
        first.put(1L, 10.0);
        first.put(2L, 15.0);
        TreeMap<Long, Object> second = new TreeMap<>();
        second.put(3L, 3.0); // a reset between the buckets: counted as 3, not -12
        second.put(4L, 8.0);
        BucketAggregate merged = BucketAggregate.ofPoints("tlong", CounterMode.RESETS, first);
        merged.mergeAfter(BucketAggregate.ofPoints("tlong", CounterMode.RESETS, second));
        assertThat(merged.numeric().increase()).isEqualTo(5 + 3 + 5);
        assertThat(merged.numeric().ratePerSecond(60)).isEqualTo(13 / 60.0);

        TreeMap<Long, Object> wrapping = new TreeMap<>();
        wrapping.put(1L, 4_294_967_290.0);
        wrapping.put(2L, 5.0);
        assertThat(
                        BucketAggregate.ofPoints(
                                        "tlong", CounterMode.wrappingAt(4_294_967_296.0), wrapping)
                                .numeric()
                                .increase())
                .isEqualTo(11.0);
    }

    @Test
    void booleansPositionsAndTextKeepTheirOwnAggregates() {
        TreeMap<Long, Object> flags = new TreeMap<>();
        flags.put(1L, true);
        flags.put(2L, false);
        flags.put(3L, true);
        BucketAggregate bool = BucketAggregate.ofPoints("tbool", CounterMode.RESETS, flags);
        assertThat(bool.booleans().countTrue()).isEqualTo(2);
        assertThat(bool.numeric()).isNull();

        TreeMap<Long, Object> track = new TreeMap<>();
        track.put(1L, new Pos2d(50.0, 4.0));
        track.put(2L, new Pos2d(51.0, 5.0));
        BucketAggregate later =
                BucketAggregate.ofPoints(
                        "pos2d",
                        CounterMode.RESETS,
                        new TreeMap<>(java.util.Map.of(3L, new Pos2d(49.0, 6.0))));
        BucketAggregate position = BucketAggregate.ofPoints("pos2d", CounterMode.RESETS, track);
        position.mergeAfter(later);
        assertThat(position.positions().minLatitude()).isEqualTo(49.0);
        assertThat(position.positions().maxLongitude()).isEqualTo(6.0);
        assertThat(position.positions().centroidLatitude()).isCloseTo(50.0, Offset.offset(1e-12));
        assertThat(position.firstLast().last()).isEqualTo(new Pos2d(49.0, 6.0));

        TreeMap<Long, Object> text = new TreeMap<>();
        text.put(5L, "b");
        text.put(4L, "a");
        BucketAggregate words = BucketAggregate.ofPoints("ttext", CounterMode.RESETS, text);
        assertThat(words.firstLast().first()).isEqualTo("a");
        assertThat(words.firstLast().count()).isEqualTo(2);
    }

    /** Merges the chunks' aggregates as they are, or each after a trip through its bytes. */
    private static BucketAggregate mergeChunks(
            String type,
            CounterMode counter,
            List<SortedMap<Long, Object>> chunks,
            boolean stored) {
        BucketAggregate merged = BucketAggregate.empty(type, counter);
        for (SortedMap<Long, Object> chunk : chunks) {
            BucketAggregate lower = BucketAggregate.ofPoints(type, counter, chunk);
            merged.mergeAfter(stored ? BucketAggregate.fromBytes(lower.toBytes()) : lower);
        }
        return merged;
    }

    private List<SortedMap<Long, Object>> chunks(TreeMap<Long, Object> points) {
        List<SortedMap<Long, Object>> chunks = new ArrayList<>();
        List<Long> keys = new ArrayList<>(points.keySet());
        int from = 0;
        while (from < keys.size()) {
            int to = Math.min(keys.size(), from + 1 + random.nextInt(40));
            chunks.add(
                    points.subMap(
                            keys.get(from), to == keys.size() ? Long.MAX_VALUE : keys.get(to)));
            from = to;
        }
        return chunks;
    }

    /** Every statistic but the sketch, to the last bit. */
    private static void assertSameStatistics(NumericStats actual, NumericStats expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.sum()).isEqualTo(expected.sum());
        assertThat(actual.sumOfSquares()).isEqualTo(expected.sumOfSquares());
        assertThat(actual.min()).isEqualTo(expected.min());
        assertThat(actual.max()).isEqualTo(expected.max());
        assertThat(actual.mean()).isEqualTo(expected.mean());
        assertThat(actual.variance()).isEqualTo(expected.variance());
        assertThat(actual.increase()).isEqualTo(expected.increase());
    }

    @RepeatedTest(3)
    void aNumericBucketMergedFromItsStoredBytesEqualsOneMergedAsEmitted() {
        CounterMode wrapping = CounterMode.wrappingAt(4096);
        List<SortedMap<Long, Object>> chunks = chunks(counterPoints(1_500));
        NumericStats emitted = mergeChunks("tdouble", wrapping, chunks, false).numeric();
        NumericStats stored = mergeChunks("tdouble", wrapping, chunks, true).numeric();

        assertSameStatistics(stored, emitted);
        assertThat(bytes(stored.sketchBytes())).isEqualTo(bytes(emitted.sketchBytes()));
        for (double q : new double[] {0.01, 0.5, 0.99}) {
            assertThat(stored.quantile(q)).isEqualTo(emitted.quantile(q));
        }
    }

    /** The aggregate of {@code points}, with or without a quantile sketch. */
    private static BucketAggregate aggregate(
            SortedMap<Long, Object> points, CounterMode counter, boolean withSketch) {
        BucketAggregate aggregate = BucketAggregate.empty("tdouble", counter, withSketch);
        points.forEach(aggregate::add);
        return aggregate;
    }

    @RepeatedTest(3)
    void statisticsKeptWithoutASketchEqualTheFullOnesAndStayWithoutOneThroughBytesAndMerges() {
        CounterMode counter = CounterMode.RESETS;
        List<SortedMap<Long, Object>> chunks = chunks(counterPoints(1_500));
        BucketAggregate full = BucketAggregate.empty("tdouble", counter, true);
        BucketAggregate lean = BucketAggregate.empty("tdouble", counter, false);
        for (SortedMap<Long, Object> chunk : chunks) {
            full.mergeAfter(aggregate(chunk, counter, true));
            BucketAggregate stored =
                    BucketAggregate.fromBytes(aggregate(chunk, counter, false).toBytes());
            assertThat(stored.numeric().hasSketch()).isFalse();
            lean.mergeAfter(stored);
        }

        NumericStats a = full.numeric();
        NumericStats b = lean.numeric();
        assertThat(a.hasSketch()).isTrue();
        assertThat(b.hasSketch()).isFalse();
        assertSameStatistics(b, a);
        assertThatThrownBy(() -> b.quantile(0.5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::sketchBytes).isInstanceOf(IllegalStateException.class);
        assertThat(lean.toBytes().length).isLessThan(full.toBytes().length);
    }

    @Test
    void aMergeKeepsASketchOnlyIfEveryMergedBucketHasOne() {
        CounterMode counter = CounterMode.RESETS;
        SortedMap<Long, Object> early = new TreeMap<>(java.util.Map.of(1L, 1.0, 2L, 2.0));
        SortedMap<Long, Object> late = new TreeMap<>(java.util.Map.of(3L, 3.0, 4L, 4.0));

        BucketAggregate sketchedThenLean = aggregate(early, counter, true);
        sketchedThenLean.mergeAfter(aggregate(late, counter, false));
        BucketAggregate leanThenSketched = aggregate(early, counter, false);
        leanThenSketched.mergeAfter(aggregate(late, counter, true));
        BucketAggregate bothSketched = aggregate(early, counter, true);
        bothSketched.mergeAfter(aggregate(late, counter, true));

        assertThat(sketchedThenLean.numeric().hasSketch()).isFalse();
        assertThat(leanThenSketched.numeric().hasSketch()).isFalse();
        assertThat(bothSketched.numeric().hasSketch()).isTrue();
        // Both buckets' points are in the merged sketch: its lowest is the first's, its highest
        // the second's.
        assertThat(bothSketched.numeric().quantile(0)).isCloseTo(1.0, within(0.01));
        assertThat(bothSketched.numeric().quantile(1)).isCloseTo(4.0, within(0.04));
        assertThat(sketchedThenLean.numeric().sum()).isEqualTo(10.0);
        assertThat(leanThenSketched.numeric().sum()).isEqualTo(10.0);
    }

    /** The aggregate of {@code points} after a trip through its bytes. */
    private static BucketAggregate stored(String type, java.util.Map<Long, Object> points) {
        return BucketAggregate.fromBytes(
                BucketAggregate.ofPoints(type, CounterMode.RESETS, new TreeMap<>(points))
                        .toBytes());
    }

    @Test
    void everyKindOfBucketComesBackFromItsBytesAsItWas() {
        BucketAggregate longs = stored("tlong", java.util.Map.of(1L, 7L, 2L, -3L));
        assertThat(longs.firstLast().first()).isEqualTo(7L);
        assertThat(longs.firstLast().last()).isEqualTo(-3L);
        assertThat(longs.numeric().sum()).isEqualTo(4.0);

        BucketAggregate flags = stored("tbool", java.util.Map.of(1L, true, 2L, true, 3L, false));
        assertThat(flags.booleans().countTrue()).isEqualTo(2);
        assertThat(flags.firstLast().last()).isEqualTo(false);
        assertThat(flags.numeric()).isNull();

        BucketAggregate track =
                stored(
                        "pos2d",
                        java.util.Map.of(1L, new Pos2d(50.1, 4.3), 2L, new Pos2d(50.7, 4.9)));
        assertThat(track.positions().centroidLatitude()).isEqualTo((50.1 + 50.7) / 2);
        assertThat(track.positions().maxLongitude()).isEqualTo(4.9);
        assertThat(track.firstLast().first()).isEqualTo(new Pos2d(50.1, 4.3));

        BucketAggregate words = stored("ttext", java.util.Map.of(4L, "a", 5L, "é"));
        assertThat(words.firstLast().first()).isEqualTo("a");
        assertThat(words.firstLast().last()).isEqualTo("é");
        assertThat(words.firstLast().count()).isEqualTo(2);
        assertThat(words.numeric()).isNull();
        assertThat(words.booleans()).isNull();
        assertThat(words.positions()).isNull();

        StructuredValue trade = new StructuredValue(java.util.Map.of("price", 1.5, "side", "buy"));
        BucketAggregate trades = stored("trade", java.util.Map.of(9L, trade));
        assertThat(trades.firstLast().last()).isEqualTo(trade);
        assertThat(trades.firstLast().firstMicros()).isEqualTo(9L);
    }

    @Test
    void bytesThatAreNotAStoredBucketAreRefusedWithAReason() {
        assertThatThrownBy(() -> BucketAggregate.fromBytes(new byte[] {9, 0, 0}))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasRootCauseMessage("unknown stored aggregate format 9");
    }

    /** The buffer's remaining bytes, its position untouched. */
    static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
