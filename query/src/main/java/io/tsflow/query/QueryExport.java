package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.connectors.cassandra.CqlSessions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ./tsflow query export}: every point of the series of a {@code seriesByTag} target over a
 * range, as CSV ({@code series,time,value}) or JSON lines, raw by default or one rollup level. The
 * points are written as Cassandra's pages arrive, so memory does not grow with the export; the
 * series keys are kept (there is no series limit here).
 */
public final class QueryExport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to export. */
    public record Request(
            List<TagMatcher> matchers,
            TimeRange range,
            String format,
            Level level,
            Aggregate aggregate) {

        public Request {
            if (!format.equals("csv") && !format.equals("jsonl")) {
                throw new BadQueryException("format: csv or jsonl");
            }
        }
    }

    private final SeriesFinder finder;
    private final PointReader reader;

    public QueryExport(SeriesFinder finder, PointReader reader) {
        this.finder = finder;
        this.reader = reader;
    }

    public static void main(String[] args) throws Exception {
        try {
            run(options(args));
        } catch (BadQueryException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void run(Map<String, String> options) throws IOException {
        QueryConfig config =
                ConfigLoader.load(Path.of(required(options, "config")), QueryConfig.class);
        long now = System.currentTimeMillis();
        List<TagMatcher> matchers = TargetEvaluator.seriesByTagOnly(required(options, "target"));
        String level = options.getOrDefault("level", "raw");
        Request request =
                new Request(
                        matchers,
                        new TimeRange(
                                GraphiteTime.parseMicros(required(options, "from"), now),
                                GraphiteTime.parseMicros(
                                        options.getOrDefault("until", "now"), now)),
                        options.getOrDefault("format", "csv"),
                        level.equals("raw") ? Level.RAW : Level.rollup(level),
                        Aggregate.parse(options.getOrDefault("aggregate", "mean")));
        try (CqlSession session =
                        CqlSessions.open(config.cassandra(), QueryExport.class.getClassLoader());
                OutputStream out =
                        options.containsKey("output")
                                ? Files.newOutputStream(Path.of(options.get("output")))
                                : System.out) {
            SeriesReaders readers = SeriesReaders.of(config, session);
            long points = new QueryExport(readers.finder(), readers.points()).export(request, out);
            System.err.println("Exported " + points + " points");
        }
    }

    /** Writes the export to {@code out}; returns the number of points. */
    public long export(Request request, OutputStream out) throws IOException {
        List<SeriesRef> series =
                finder.find(request.matchers(), request.range(), Integer.MAX_VALUE);
        Writer writer =
                new OutputStreamWriter(
                        new BufferedOutputStream(out, 1 << 16), StandardCharsets.UTF_8);
        long[] count = new long[1];
        boolean csv = request.format().equals("csv");
        if (csv) {
            writer.write("series,time,value\r\n");
        }
        try {
            for (SeriesRef ref : series) {
                Consumer<Point> line =
                        point -> {
                            count[0]++;
                            try {
                                if (csv) {
                                    writeCsv(writer, ref, point);
                                } else {
                                    writeJsonLine(writer, ref, request.level(), point);
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        };
                if (request.level().isRaw()) {
                    reader.forEachRaw(ref.seriesKey(), request.range(), Long.MAX_VALUE, line);
                } else {
                    reader.forEachRollup(
                            ref.seriesKey(),
                            request.level(),
                            request.range(),
                            request.aggregate(),
                            line);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writer.flush();
        return count[0];
    }

    private static void writeCsv(Writer writer, SeriesRef ref, Point point) throws IOException {
        writer.write('"');
        writer.write(ref.seriesKey().replace("\"", "\"\""));
        writer.write("\",");
        writer.write(time(point.micros()));
        writer.write(',');
        if (Double.isFinite(point.value())) {
            writer.write(Double.toString(point.value()));
        }
        writer.write("\r\n");
    }

    private static void writeJsonLine(Writer writer, SeriesRef ref, Level level, Point point)
            throws IOException {
        JsonGenerator json = JSON.getFactory().createGenerator(writer);
        json.writeStartObject();
        json.writeStringField("series", ref.seriesKey());
        json.writeStringField("metric", ref.metric());
        json.writeObjectFieldStart("tags");
        for (Map.Entry<String, String> tag : ref.tags().entrySet()) {
            json.writeStringField(tag.getKey(), tag.getValue());
        }
        json.writeEndObject();
        json.writeStringField("level", level.name());
        json.writeStringField("time", time(point.micros()));
        json.writeNumberField("timestampMicros", point.micros());
        if (Double.isFinite(point.value())) {
            json.writeNumberField("value", point.value());
        } else {
            json.writeNullField("value");
        }
        json.writeEndObject();
        json.flush();
        writer.write('\n');
    }

    /** ISO-8601 in UTC, to the microsecond. */
    private static String time(long micros) {
        return Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)
                .toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new BadQueryException(
                        "usage: export --config FILE --target \"seriesByTag('tag=value')\" --from T"
                                + " [--until T] [--format csv|jsonl] [--level raw|1m|1h|...]"
                                + " [--aggregate mean|min|max|sum|count|rate] [--output FILE]");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new BadQueryException("--" + name + " is required");
        }
        return value;
    }
}
