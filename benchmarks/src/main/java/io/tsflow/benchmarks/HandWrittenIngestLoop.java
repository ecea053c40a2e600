package io.tsflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The baseline: the same parse, validate and serialize work written as one plain single-threaded
 * loop, with no Flink, no format detection, no dead-letter bookkeeping and only the checks the
 * benchmark input needs. The job is measured against what this loop does on the same records in the
 * same run.
 */
final class HandWrittenIngestLoop {

    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/-]*");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final long MAX_SKEW_MICROS = 3_600_000_000L;

    private final ObjectMapper json = new ObjectMapper();
    private final SpecificDatumWriter<Observation> writer =
            new SpecificDatumWriter<>(Observation.getClassSchema());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    long bytesOut;

    /** Returns the number of points accepted. */
    int process(byte[] record, long recordTimeMillis) throws IOException {
        JsonNode root = json.readTree(record);
        String metric = root.get("metric").textValue().trim();
        if (metric.length() > 200 || !METRIC.matcher(metric).matches()) {
            return 0;
        }
        TreeMap<String, String> tags = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("tagset").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> tag = it.next();
            String key = tag.getKey().trim();
            String value = tag.getValue().textValue().trim();
            if (!TAG_KEY.matcher(key).matches() || value.isEmpty() || value.length() > 256) {
                return 0;
            }
            tags.put(key, value);
        }
        String seriesKey = SeriesKey.of(metric, tags);
        if (!"tdouble".equals(root.get("type").textValue())) {
            return 0;
        }
        int accepted = 0;
        long reference = recordTimeMillis * 1000;
        for (JsonNode pair : root.get("values")) {
            var time = LocalDateTime.parse(pair.get(0).textValue()).toInstant(ZoneOffset.UTC);
            long micros = time.getEpochSecond() * 1_000_000L + time.getNano() / 1000;
            double value = pair.get(1).doubleValue();
            if (!Double.isFinite(value) || micros - reference > MAX_SKEW_MICROS) {
                continue;
            }
            Observation observation =
                    new Observation(
                            seriesKey,
                            metric,
                            tags,
                            "tdouble",
                            micros,
                            value,
                            Origin.MEASURED,
                            null);
            out.reset();
            out.write(new byte[] {0, 0, 0, 0, 1});
            encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
            writer.write(observation, encoder);
            encoder.flush();
            bytesOut += out.size();
            accepted++;
        }
        return accepted;
    }
}
