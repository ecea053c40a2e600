package io.tsflow.endtoend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The field's workload, as gateways upload it: five gateways, each with eight room temperatures
 * (gauges) and one energy meter (a counter that resets once), a point every 20 s for five hours
 * across the spring daylight-saving change in Brussels. Each series is sent in one Kafka partition
 * (record key: the series), its points out of order by up to 90 s, and one point in a hundred sent
 * again later with a new value (the later one counts), up to 150 s after it was due: late enough to
 * revise a bucket that has closed, within its lateness.
 *
 * <p>{@link #finalPoints()} is what the stored data must reflect: per series, the last value sent
 * for each timestamp.
 */
final class GatewayBacklog {

    static final Instant START = Instant.parse("2026-03-28T22:00:00Z");
    static final Instant END = Instant.parse("2026-03-29T03:00:00Z");
    static final int GATEWAYS = 5;
    static final int ROOMS = 8;
    static final Duration STEP = Duration.ofSeconds(20);
    static final Duration MAX_DISORDER = Duration.ofSeconds(90);

    /** A series as the tests know it: metric and tags. */
    record Series(String metric, Map<String, String> tags, boolean counter) {

        String gateway() {
            return tags.get("gateway");
        }

        String kafkaKey() {
            return metric + tags;
        }
    }

    /** One record for topic raw, with when its gateway sends it (the order of production). */
    record Upload(Series series, long sentAtMillis, long eventMillis, Number value) {

        byte[] json() {
            StringBuilder tagset = new StringBuilder();
            series.tags()
                    .forEach(
                            (key, tag) ->
                                    tagset.append(tagset.isEmpty() ? "" : ", ")
                                            .append('"')
                                            .append(key)
                                            .append("\": \"")
                                            .append(tag)
                                            .append('"'));
            String timestamp =
                    LocalDateTime.ofInstant(Instant.ofEpochMilli(eventMillis), ZoneOffset.UTC)
                            .toString();
            return ("{\"metric\": \""
                            + series.metric()
                            + "\", \"tagset\": {"
                            + tagset
                            + "}, \"type\": \""
                            + (series.counter() ? "tlong" : "tdouble")
                            + "\", \"values\": [[\""
                            + timestamp
                            + "\", "
                            + value
                            + "]]}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private final List<Series> series = new ArrayList<>();
    private final List<Upload> uploads = new ArrayList<>();

    GatewayBacklog(long seed) {
        Random random = new Random(seed);
        for (int g = 0; g < GATEWAYS; g++) {
            for (int r = 0; r < ROOMS; r++) {
                series.add(
                        new Series(
                                "building.temperature",
                                Map.of("gateway", "g" + g, "room", "r" + r),
                                false));
            }
            series.add(new Series("building.energy", Map.of("gateway", "g" + g), true));
        }
        long step = STEP.toMillis();
        for (Series one : series) {
            long counter = random.nextInt(1000);
            long resetAt =
                    START.toEpochMilli()
                            + step
                                    * random.nextInt(
                                            (int)
                                                    ((END.toEpochMilli() - START.toEpochMilli())
                                                            / step));
            for (long t = START.toEpochMilli(); t < END.toEpochMilli(); t += step) {
                Number value;
                if (one.counter()) {
                    counter = t == resetAt ? random.nextInt(5) : counter + random.nextInt(100);
                    value = counter;
                } else {
                    value =
                            Math.round((18 + 4 * Math.sin(t / 3.6e6) + random.nextDouble()) * 100)
                                    / 100.0;
                }
                long sentAt = t + random.nextInt((int) MAX_DISORDER.toMillis());
                uploads.add(new Upload(one, sentAt, t, value));
                if (random.nextInt(100) == 0) {
                    Number changed =
                            one.counter() ? value : ((Double) value) + 1 + random.nextInt(10);
                    long resentAt = t + MAX_DISORDER.toMillis() + random.nextInt(60_000);
                    uploads.add(new Upload(one, resentAt, t, changed));
                }
            }
        }
    }

    List<Series> series() {
        return series;
    }

    /** Every upload in the order the gateways send them. */
    List<Upload> inSendingOrder() {
        return uploads.stream().sorted(Comparator.comparingLong(Upload::sentAtMillis)).toList();
    }

    /**
     * Every upload in sending order, except that {@code gateway} was offline: it sends everything
     * {@code delay} later than it would have, while the others stream on.
     */
    List<Upload> withGatewayDelayed(String gateway, Duration delay) {
        return uploads.stream()
                .map(
                        upload ->
                                upload.series().gateway().equals(gateway)
                                        ? new Upload(
                                                upload.series(),
                                                upload.sentAtMillis() + delay.toMillis(),
                                                upload.eventMillis(),
                                                upload.value())
                                        : upload)
                .sorted(Comparator.comparingLong(Upload::sentAtMillis))
                .toList();
    }

    /** Per series, the value that counts for each timestamp: the last one sent. */
    Map<Series, TreeMap<Long, Double>> finalPoints() {
        Map<Series, TreeMap<Long, Double>> points = new java.util.HashMap<>();
        for (Upload upload : inSendingOrder()) {
            points.computeIfAbsent(upload.series(), s -> new TreeMap<>())
                    .put(upload.eventMillis(), upload.value().doubleValue());
        }
        return points;
    }
}
