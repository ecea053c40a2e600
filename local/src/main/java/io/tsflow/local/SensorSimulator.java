package io.tsflow.local;

import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A fleet of simulated gateways writing to topic {@code raw} in every supported format: TSorage
 * JSON (single messages, batches, envelopes), Avro in the Confluent wire format, Graphite and
 * Influx lines. About one record in a hundred is deliberately bad, so the dead-letter path is
 * exercised too. It counts what it sends, so the summary can check that nothing was lost.
 */
final class SensorSimulator {

    private static final DateTimeFormatter ISO_LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final String topic;
    private final int sensors;
    private final Random random = new Random(42);
    private final ConfluentAvroEncoder<RawMessage> avro;
    private long sequence;
    private final Map<Integer, SensorFault> faults = new java.util.concurrent.ConcurrentHashMap<>();

    long records;
    long goodPoints;
    long badRecords;

    SensorSimulator(String topic, int sensors, SchemaRegistryClient registry) throws IOException {
        this.topic = topic;
        this.sensors = sensors;
        this.avro =
                new ConfluentAvroEncoder<>(registry, topic + "-value", RawMessage.getClassSchema());
    }

    /** Gives {@code sensor} a fault from now on; null heals it. */
    void fault(int sensor, SensorFault fault) {
        if (fault == null) {
            faults.remove(sensor);
        } else {
            faults.put(sensor, fault);
        }
    }

    ProducerRecord<byte[], byte[]> next(long nowMillis) throws IOException {
        long n = sequence++;
        while (faults.get((int) (n % sensors)) == SensorFault.SILENT) {
            n = sequence++; // a silent sensor's turn goes to the next one
        }
        records++;
        int sensor = (int) (n % sensors);
        if (n % 100 == 99) {
            badRecords++;
            return bad(n, nowMillis);
        }
        return switch ((int) (n % 10)) {
            case 0, 1, 2, 3 -> json(temperature(sensor, nowMillis, 5), nowMillis);
            case 4 ->
                    json(
                            "[" + door(sensor, nowMillis) + "," + position(sensor, nowMillis) + "]",
                            nowMillis);
            case 5 -> json("{\"series\":[" + temperature(sensor, nowMillis, 2) + "]}", nowMillis);
            case 6, 7 -> graphite(sensor, nowMillis);
            case 8 -> influx(sensor, nowMillis);
            default -> avro(sensor, nowMillis);
        };
    }

    private String temperature(int sensor, long nowMillis, int points) {
        StringBuilder values = new StringBuilder();
        SensorFault fault = faults.get(sensor);
        for (int i = 0; i < points; i++) {
            long at = nowMillis - (points - i) * 100L;
            double celsius =
                    fault == SensorFault.STUCK
                            ? 21.0
                            : fault == SensorFault.OVERHEATING
                                    ? 40 + random.nextDouble()
                                    : Math.round((19 + 4 * random.nextDouble()) * 100) / 100.0;
            values.append(i == 0 ? "" : ",")
                    .append("[\"")
                    .append(ISO_LOCAL.format(Instant.ofEpochMilli(at)))
                    .append("\",")
                    .append(celsius)
                    .append(']');
        }
        goodPoints += points;
        return "{\"metric\":\"building.room.temperature\",\"tagset\":{\"room\":\"r"
                + sensor
                + "\",\"floor\":\""
                + sensor % 5
                + "\"},\"type\":\"tdouble\",\"values\":["
                + values
                + "]}";
    }

    private String door(int sensor, long nowMillis) {
        goodPoints++;
        return "{\"metric\":\"building.door.open\",\"tagset\":{\"door\":\"d"
                + sensor
                + "\"},\"type\":\"tbool\",\"values\":[["
                + nowMillis
                + ","
                + random.nextBoolean()
                + "]]}";
    }

    private String position(int sensor, long nowMillis) {
        goodPoints++;
        return "{\"metric\":\"fleet.position\",\"tagset\":{\"vehicle\":\"v"
                + sensor
                + "\"},\"type\":\"pos2d\",\"values\":[["
                + nowMillis
                + ",{\"latitude\":"
                + (50.8 + random.nextDouble() / 10)
                + ",\"longitude\":"
                + (4.3 + random.nextDouble() / 10)
                + "}]]}";
    }

    private ProducerRecord<byte[], byte[]> graphite(int sensor, long nowMillis) {
        StringBuilder lines = new StringBuilder();
        int[] codes = {200, 404, 500};
        for (int code : codes) {
            lines.append("app.http.status.")
                    .append(code)
                    .append(";host=web")
                    .append(sensor % 10)
                    .append(' ')
                    .append(random.nextInt(100))
                    .append(' ')
                    .append(nowMillis / 1000)
                    .append('\n');
        }
        goodPoints += codes.length;
        return record(lines.toString().getBytes(StandardCharsets.UTF_8), nowMillis, null);
    }

    private ProducerRecord<byte[], byte[]> influx(int sensor, long nowMillis) {
        goodPoints += 3;
        String line =
                "cpu,host=node"
                        + sensor % 20
                        + " usage_idle="
                        + (50 + random.nextInt(50))
                        + ".5,processes="
                        + random.nextInt(300)
                        + "i,healthy=t "
                        + nowMillis * 1_000_000L
                        + "\n";
        return record(line.getBytes(StandardCharsets.UTF_8), nowMillis, "influx");
    }

    private ProducerRecord<byte[], byte[]> avro(int sensor, long nowMillis) throws IOException {
        goodPoints += 2;
        RawMessage message =
                new RawMessage(
                        "building.room.humidity",
                        Map.of("room", "r" + sensor),
                        "tdouble",
                        List.of(
                                new RawPoint(
                                        (nowMillis - 500) * 1000, 40 + random.nextDouble() * 20),
                                new RawPoint(nowMillis * 1000, 40 + random.nextDouble() * 20)));
        return record(avro.encode(message), nowMillis, null);
    }

    private ProducerRecord<byte[], byte[]> json(String text, long nowMillis) {
        return record(text.getBytes(StandardCharsets.UTF_8), nowMillis, null);
    }

    /** A rotating choice of gateway mistakes. */
    private ProducerRecord<byte[], byte[]> bad(long n, long nowMillis) {
        List<String> mistakes = new ArrayList<>();
        mistakes.add(
                "{\"metric\":\"building.room.temperature\",\"type\":\"tdouble\",\"values\":[["
                        + nowMillis
                        + ",NaN]]}");
        mistakes.add("{\"metric\":\"broken\",\"type\":");
        mistakes.add(
                "{\"metric\":\"building.room.temperature\",\"type\":\"tfloat\",\"values\":[["
                        + nowMillis
                        + ",1]]}");
        mistakes.add(
                "{\"metric\":\"building.room.temperature\",\"tagset\":{\"bad"
                        + " key\":\"x\"},\"type\":\"tdouble\",\"values\":[["
                        + nowMillis
                        + ",1]]}");
        mistakes.add(
                "{\"metric\":\"building.room.temperature\",\"type\":\"tdouble\",\"values\":[[\"9999-01-01T00:00:00\",1]]}");
        String text = mistakes.get((int) ((n / 100) % mistakes.size()));
        return json(text, nowMillis);
    }

    private ProducerRecord<byte[], byte[]> record(byte[] value, long nowMillis, String format) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, nowMillis, null, value);
        if (format != null) {
            record.headers()
                    .add(
                            new RecordHeader(
                                    "tsflow.format", format.getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }
}
