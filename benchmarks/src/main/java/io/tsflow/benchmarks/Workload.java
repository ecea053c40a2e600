package io.tsflow.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark input: TSorage JSON messages of {@link #POINTS_PER_RECORD} tdouble points each,
 * spread over a number of series with two tags, timestamps a little before {@link
 * #RECORD_TIME_MILLIS}.
 */
final class Workload {

    static final int POINTS_PER_RECORD = 5;
    static final long RECORD_TIME_MILLIS = 1_763_800_000_000L;
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private Workload() {}

    static List<byte[]> records(int count, int series) {
        Random random = new Random(7);
        List<byte[]> records = new ArrayList<>(count);
        long start = RECORD_TIME_MILLIS - 3_000_000L;
        for (int r = 0; r < count; r++) {
            int id = r % series;
            StringBuilder json =
                    new StringBuilder(256)
                            .append(
                                    "{\"metric\":\"bench.sensor.temperature\",\"tagset\":{\"site\":\"s")
                            .append(id % 10)
                            .append("\",\"sensor\":\"")
                            .append(id)
                            .append("\"},\"type\":\"tdouble\",\"values\":[");
            for (int p = 0; p < POINTS_PER_RECORD; p++) {
                long micros = (start + (long) (r / series) * 10) * 1000 + p * 1000L;
                json.append(p == 0 ? "[\"" : ",[\"")
                        .append(
                                ISO.format(
                                        Instant.ofEpochSecond(
                                                micros / 1_000_000, (micros % 1_000_000) * 1000)))
                        .append("\",")
                        .append(Math.round(random.nextDouble() * 10_000) / 100.0)
                        .append(']');
            }
            records.add(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
