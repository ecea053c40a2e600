package io.tsflow.endtoend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The derived series of the backlog's final points, computed here as their rules define them: at
 * each multiple of the step from the first point at or after it, to the last step whose lookback
 * holds a point, the latest value of each input series in {@code (step - lookback, step]}.
 */
final class ExpectedDerived {

    private ExpectedDerived() {}

    /** By "series@millis": room-fahrenheit (step and lookback 20 s) and gateway-average (1m). */
    static Map<String, Double> of(Map<GatewayBacklog.Series, TreeMap<Long, Double>> points) {
        Map<String, Double> expected = new HashMap<>();
        Map<String, List<TreeMap<Long, Double>>> rooms = new HashMap<>();
        points.forEach(
                (series, values) -> {
                    if (series.counter()) {
                        return;
                    }
                    String room = ExpectedRollups.seriesId("building.temperature_f", series.tags());
                    derive(List.of(values), 20_000, room, expected, ExpectedDerived::fahrenheit);
                    rooms.computeIfAbsent(
                                    ExpectedRollups.seriesId(
                                            "building.temperature_avg",
                                            Map.of("gateway", series.gateway())),
                                    gateway -> new ArrayList<>())
                            .add(values);
                });
        rooms.forEach(
                (gateway, members) ->
                        derive(members, 60_000, gateway, expected, ExpectedDerived::average));
        return expected;
    }

    private interface Expression {
        double of(List<Double> latestValues);
    }

    private static double fahrenheit(List<Double> latest) {
        return latest.get(0) * 9 / 5 + 32;
    }

    private static double average(List<Double> latest) {
        return latest.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Steps of {@code stepMillis} with a lookback of one step. */
    private static void derive(
            List<TreeMap<Long, Double>> members,
            long stepMillis,
            String series,
            Map<String, Double> expected,
            Expression expression) {
        long first = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (TreeMap<Long, Double> member : members) {
            first = Math.min(first, member.firstKey());
            newest = Math.max(newest, member.lastKey());
        }
        long firstStep = Math.floorDiv(first + stepMillis - 1, stepMillis) * stepMillis;
        long lastStep = Math.floorDiv(newest + stepMillis - 1, stepMillis) * stepMillis;
        for (long step = firstStep; step <= lastStep; step += stepMillis) {
            List<Double> latest = new ArrayList<>();
            for (TreeMap<Long, Double> member : members) {
                var inWindow = member.subMap(step - stepMillis, false, step, true);
                if (!inWindow.isEmpty()) {
                    latest.add(inWindow.lastEntry().getValue());
                }
            }
            if (!latest.isEmpty()) {
                expected.put(series + "@" + step, expression.of(latest));
            }
        }
    }

    /** The points of {@code actual} that differ from {@code expected}, or are missing or extra. */
    static List<String> differences(Map<String, Double> expected, Map<String, Double> actual) {
        List<String> differences = new ArrayList<>();
        expected.forEach(
                (key, value) -> {
                    Double found = actual.get(key);
                    if (found == null) {
                        differences.add("missing " + key);
                    } else if (Math.abs(found - value) > 1e-9 * Math.max(1, Math.abs(value))) {
                        differences.add(key + ": expected " + value + ", found " + found);
                    }
                });
        actual.keySet().stream()
                .filter(key -> !expected.containsKey(key))
                .forEach(key -> differences.add("unexpected " + key));
        return differences;
    }
}
