package io.tsflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.RejectReason;
import io.tsflow.connectors.kafka.UndecodedRecordDeserializer;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.flink.TestClusters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster (parallelism 2) against the real Kafka, registry and Cassandra.
 */
class IngestNormalizeJobTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final long TIME = BadInputs.RECORD_TIME_MILLIS;

    private static ProducerRecord<byte[], byte[]> record(
            String topic, int partition, String header, byte[] value) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, partition, TIME, null, value);
        if (header != null) {
            record.headers()
                    .add(
                            new RecordHeader(
                                    UndecodedRecordDeserializer.FORMAT_HEADER,
                                    header.getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void goodAndBadInputEndToEnd() throws Exception {
        try (IngestFixture fixture = new IngestFixture()) {
            List<ProducerRecord<byte[], byte[]>> good = new ArrayList<>();
            good.add(
                    record(
                            fixture.raw,
                            0,
                            null,
                            utf8(
                                    "{\"metric\":\"room.temperature\",\"tagset\":{\"room\":\"12\",\"site\":\"bru\"},\"type\":\"tdouble\","
                                        + "\"values\":[[\"2025-11-22T08:00:00\",21.5],[\"2025-11-22T08:00:10.000001\",21.75]]}")));
            good.add(
                    record(
                            fixture.raw,
                            1,
                            null,
                            utf8(
                                    "[{\"metric\":\"door.open\",\"tagset\":{\"door\":\"a\"},\"type\":\"tbool\",\"values\":[[1763798400000,true]]},"
                                        + "{\"metric\":\"car.position\",\"tagset\":{\"car\":\"7\"},\"type\":\"pos2d\","
                                        + "\"values\":[[\"2025-11-22T08:00:00Z\",{\"latitude\":50.85,\"longitude\":4.35}]]}]")));
            good.add(
                    record(
                            fixture.raw,
                            0,
                            null,
                            utf8(
                                    "{\"series\":[{\"metric\":\"counter.total\",\"type\":\"tlong\",\"values\":[[\"2025-11-22T08:00:00\",42]]}]}")));
            good.add(
                    record(
                            fixture.raw,
                            1,
                            null,
                            BadInputs.avroMessage(fixture.registry, "tdouble", 3.25)));
            good.add(
                    record(
                            fixture.raw,
                            0,
                            null,
                            utf8(
                                    "app.http.status.500 7 1763798400\n"
                                            + "app.http.status.404 2 1763798400\n")));
            good.add(
                    record(
                            fixture.raw,
                            1,
                            null,
                            utf8(
                                    "cpu,host=web01 usage_idle=97.5,procs=12i"
                                            + " 1763798400000000000\n")));
            // The same series and timestamp again with a new value: the later one wins in
            // Cassandra.
            good.add(
                    record(
                            fixture.raw,
                            0,
                            null,
                            utf8(
                                    "{\"metric\":\"room.temperature\",\"tagset\":{\"site\":\"bru\",\"room\":\"12\"},\"type\":\"tdouble\","
                                        + "\"values\":[[\"2025-11-22T08:00:00\",22.0]]}")));
            fixture.kafka.sendAll(good);

            List<BadInputs.Case> cases = BadInputs.all(fixture.registry);
            List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
            for (BadInputs.Case input : cases) {
                bad.add(record(fixture.raw, 1, input.header(), input.value()));
            }
            List<RecordMetadata> badOffsets = fixture.kafka.sendAll(bad);

            fixture.run(
                    fixture.environment(0),
                    SinkApplier.table(IngestSinks.rawTableSink(fixture.config)));

            // Observations: each exactly once, keyed by series.
            List<Observation> observations = fixture.observations();
            Map<String, Long> perSeries =
                    observations.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            Observation::getSeriesKey,
                                            TreeMap::new,
                                            Collectors.counting()));
            assertThat(perSeries)
                    .containsEntry("room.temperature{room=\"12\",site=\"bru\"}", 3L)
                    .containsEntry("door.open{door=\"a\"}", 1L)
                    .containsEntry("car.position{car=\"7\"}", 1L)
                    .containsEntry("counter.total", 1L)
                    .containsEntry("avro.sensor{site=\"lab\"}", 1L)
                    .containsEntry("app.http.status{code=\"500\"}", 1L)
                    .containsEntry("app.http.status{code=\"404\"}", 1L)
                    .containsEntry("cpu.usage_idle{host=\"web01\"}", 1L)
                    .containsEntry("cpu.procs{host=\"web01\"}", 1L)
                    // The good points inside the bad suite's mixed cases.
                    .containsEntry("ok.metric", 1L)
                    .containsEntry("bad.points{case=\"x\"}", 2L);
            assertThat(observations).hasSize(14);

            // Dead letters: every bad case, with its reasons, pointing at its source offset.
            Map<Long, List<String>> reasonsByOffset = new TreeMap<>();
            for (Rejected rejected : fixture.deadLetters()) {
                assertThat(rejected.getSourceTopic()).isEqualTo(fixture.raw);
                assertThat(rejected.getSourcePartition()).isEqualTo(1);
                reasonsByOffset
                        .computeIfAbsent(rejected.getSourceOffset(), o -> new ArrayList<>())
                        .add(rejected.getReason());
            }
            for (int i = 0; i < cases.size(); i++) {
                List<String> reasons =
                        reasonsByOffset.getOrDefault(badOffsets.get(i).offset(), List.of());
                reasons.sort(null);
                assertThat(reasons)
                        .as(cases.get(i).name())
                        .containsExactlyElementsOf(
                                cases.get(i).expected().stream()
                                        .map(RejectReason::name)
                                        .sorted()
                                        .toList());
            }
            assertThat(reasonsByOffset).hasSize(cases.size());

            // Cassandra: the raw table (later value wins), the series registry and the tag index.
            Row latest =
                    fixture.cassandra
                            .execute(
                                    "SELECT value_double, metric, tagset, type FROM "
                                            + fixture.keyspace
                                            + ".observations_raw WHERE series_key = ? AND shard ="
                                            + " '2025-11' AND ts_micros = ?",
                                    "room.temperature{room=\"12\",site=\"bru\"}",
                                    1_763_798_400_000_000L)
                            .one();
            assertThat(latest.getDouble("value_double")).isEqualTo(22.0);
            assertThat(latest.getString("type")).isEqualTo("tdouble");
            assertThat(latest.getMap("tagset", String.class, String.class))
                    .containsEntry("site", "bru");
            long rows = fixture.rows("observations_raw");
            assertThat(rows)
                    .isEqualTo(13); // 14 observations, one of them an upsert of an existing row
            Row position =
                    fixture.cassandra
                            .execute(
                                    "SELECT value_latitude, value_longitude FROM "
                                            + fixture.keyspace
                                            + ".observations_raw WHERE series_key ="
                                            + " 'car.position{car=\"7\"}' AND shard = '2025-11'")
                            .one();
            assertThat(position.getDouble(0)).isEqualTo(50.85);
            assertThat(
                            fixture
                                    .cassandra
                                    .execute(
                                            "SELECT series_key FROM "
                                                    + fixture.keyspace
                                                    + ".series WHERE metric = 'app.http.status' AND"
                                                    + " shard = '2025-11'")
                                    .all()
                                    .stream()
                                    .map(r -> r.getString(0))
                                    .toList())
                    .containsExactlyInAnyOrder(
                            "app.http.status{code=\"404\"}", "app.http.status{code=\"500\"}");
            assertThat(
                            fixture.cassandra
                                    .execute(
                                            "SELECT series_key FROM "
                                                    + fixture.keyspace
                                                    + ".series_by_tag WHERE tag_key = 'site' AND"
                                                    + " tag_value = 'bru' AND shard = '2025-11'")
                                    .one()
                                    .getString(0))
                    .isEqualTo("room.temperature{room=\"12\",site=\"bru\"}");
        }
    }
}
