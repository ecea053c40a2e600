package io.tsflow.derived.pipeline;

import io.tsflow.derived.expression.InputUse;
import java.util.List;

/**
 * What a series function yields at a step from the windows of an input's series, each window {@code
 * (step - lookback, step]}: the latest value of a single series; sum, average, minimum, maximum or
 * count of the series' latest values; or the sum over the series of a counter function ({@code
 * increase} counts a drop as a reset to zero; {@code rate} is the increase per second between the
 * window's first and last points; {@code delta} is last minus first). NaN when there is nothing to
 * compute from; {@link #AMBIGUOUS} when a bare name stands for several series.
 */
final class WindowValues {

    /** A bare input name whose input has several series in the group: the step is skipped. */
    static final double AMBIGUOUS = Double.NEGATIVE_INFINITY;

    private WindowValues() {}

    static double of(InputUse use, List<SeriesWindow> series, long step, long lookback) {
        long from = step - lookback;
        return switch (use.function()) {
            case LATEST -> latestOfOne(series, from, step);
            case SUM, AVG, MIN, MAX, COUNT -> aggregate(use.function(), series, from, step);
            case RATE, INCREASE, DELTA -> counter(use.function(), series, from, step);
        };
    }

    /** The newest value at or before {@code step}, however old ({@code fill: previous}). */
    static double previous(List<SeriesWindow> series, long step) {
        if (series.size() != 1) {
            return series.isEmpty() ? Double.NaN : AMBIGUOUS;
        }
        SeriesWindow window = series.get(0);
        int[] range = window.range(Long.MIN_VALUE, step);
        return range[1] == 0 ? Double.NaN : window.values[range[1] - 1];
    }

    private static double latestOfOne(List<SeriesWindow> series, long from, long to) {
        double latest = Double.NaN;
        int found = 0;
        for (SeriesWindow window : series) {
            int[] range = window.range(from, to);
            if (range[1] > range[0]) {
                latest = window.values[range[1] - 1];
                found++;
            }
        }
        return found > 1 ? AMBIGUOUS : latest;
    }

    private static double aggregate(
            InputUse.Function function, List<SeriesWindow> series, long from, long to) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (SeriesWindow window : series) {
            int[] range = window.range(from, to);
            if (range[1] > range[0]) {
                double value = window.values[range[1] - 1];
                sum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
                count++;
            }
        }
        if (function == InputUse.Function.COUNT) {
            return count;
        }
        if (count == 0) {
            return Double.NaN;
        }
        return switch (function) {
            case SUM -> sum;
            case AVG -> sum / count;
            case MIN -> min;
            default -> max;
        };
    }

    private static double counter(
            InputUse.Function function, List<SeriesWindow> series, long from, long to) {
        double total = 0;
        boolean any = false;
        for (SeriesWindow window : series) {
            int[] range = window.range(from, to);
            if (range[1] - range[0] < 2) {
                continue;
            }
            int first = range[0];
            int last = range[1] - 1;
            double value;
            if (function == InputUse.Function.DELTA) {
                value = window.values[last] - window.values[first];
            } else {
                double increase = 0;
                for (int i = first + 1; i <= last; i++) {
                    double step = window.values[i] - window.values[i - 1];
                    increase += step >= 0 ? step : window.values[i]; // a drop is a reset
                }
                value =
                        function == InputUse.Function.INCREASE
                                ? increase
                                : increase / ((window.times[last] - window.times[first]) / 1000.0);
            }
            total += value;
            any = true;
        }
        return any ? total : Double.NaN;
    }
}
