package io.tsflow.benchmarks.derived;

import io.tsflow.schema.Observation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The baseline: the benchmark's rules ({@code sum(x) * 2 + 1} of each metric by site, a 10 s step
 * over a 30 s lookback) on one thread with plain collections: per point, the rules' metric patterns
 * are tried in order (as the job's router does) and the point lands in its group's series; each
 * time a step boundary passes, every group's sum of its series' latest values in the lookback is
 * computed. No state backend, timers, checkpoints, shuffles, lateness or fill.
 */
final class HandWrittenDerivedLoop {

    private HandWrittenDerivedLoop() {}

    /** Returns the number of derived points computed. */
    static long run(FleetReadings readings, long points, int rules) {
        List<Pattern> patterns = new ArrayList<>();
        for (int r = 0; r < rules; r++) {
            patterns.add(Pattern.compile("bench\\.m" + r));
        }
        // group (rule|site) -> series key -> its recent {time, value} points, oldest first
        Map<String, Map<String, ArrayDeque<double[]>>> groups = new HashMap<>();
        long step = 10_000;
        long lookback = 30_000;
        long nextStep = Long.MIN_VALUE;
        long derived = 0;
        Map<String, List<Integer>> rulesByMetric = new HashMap<>();
        for (long i = 0; i < points; i++) {
            Observation point = readings.reading(i);
            long t = point.getTimestampMicros() / 1000;
            if (nextStep == Long.MIN_VALUE) {
                nextStep = (t / step + 1) * step;
            }
            while (t > nextStep + 5_000) { // the watermark (5 s of disorder) passed a step
                for (Map<String, ArrayDeque<double[]>> group : groups.values()) {
                    double sum = 0;
                    boolean any = false;
                    for (ArrayDeque<double[]> recent : group.values()) {
                        while (!recent.isEmpty() && recent.peekFirst()[0] <= nextStep - lookback) {
                            recent.pollFirst();
                        }
                        Iterator<double[]> newestFirst = recent.descendingIterator();
                        while (newestFirst.hasNext()) {
                            double[] earlier = newestFirst.next();
                            if (earlier[0] <= nextStep) {
                                sum += earlier[1];
                                any = true;
                                break;
                            }
                        }
                    }
                    if (any && Double.isFinite(sum * 2 + 1)) {
                        derived++;
                    }
                }
                nextStep += step;
            }
            List<Integer> fed =
                    rulesByMetric.computeIfAbsent(
                            point.getMetric(),
                            metric -> {
                                List<Integer> matching = new ArrayList<>();
                                for (int r = 0; r < rules; r++) {
                                    if (patterns.get(r).matcher(metric).matches()) {
                                        matching.add(r);
                                    }
                                }
                                return matching;
                            });
            for (int r : fed) {
                String group = r + "|" + point.getTagset().get("site");
                groups.computeIfAbsent(group, g -> new HashMap<>())
                        .computeIfAbsent(point.getSeriesKey(), k -> new ArrayDeque<>())
                        .addLast(new double[] {t, (Double) point.getValue()});
            }
        }
        return derived;
    }
}
