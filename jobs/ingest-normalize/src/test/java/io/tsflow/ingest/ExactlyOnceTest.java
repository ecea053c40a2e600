package io.tsflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.flink.FailOnceSink;
import io.tsflow.testing.flink.TestClusters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job fails in the middle of a stream (after its first checkpoint) and restarts from that
 * checkpoint: afterwards each expected point is in {@code observations} exactly once
 * (read_committed), each bad record in the dead-letter topic exactly once, and Cassandra holds
 * exactly the expected rows.
 */
class ExactlyOnceTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final int RECORDS = 10_000;
    private static final int POINTS_PER_RECORD = 4;
    private static final int SERIES = 500;

    @Test
    void aFailureMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (IngestFixture fixture = new IngestFixture()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            Set<String> expected = new HashSet<>();
            long base = BadInputs.RECORD_TIME_MILLIS - 3_600_000L;
            for (int r = 0; r < RECORDS; r++) {
                int series = r % SERIES;
                StringBuilder values = new StringBuilder();
                for (int p = 0; p < POINTS_PER_RECORD; p++) {
                    long millis = base + (long) r * POINTS_PER_RECORD + p;
                    values.append(p == 0 ? "" : ",")
                            .append('[')
                            .append(millis)
                            .append(',')
                            .append(r + p / 10.0)
                            .append(']');
                    expected.add("sensor.value{id=\"" + series + "\"}@" + millis * 1000);
                }
                String json =
                        "{\"metric\":\"sensor.value\",\"tagset\":{\"id\":\""
                                + series
                                + "\"},\"type\":\"tdouble\",\"values\":["
                                + values
                                + "]}";
                records.add(
                        new ProducerRecord<>(
                                fixture.raw,
                                r % 2,
                                BadInputs.RECORD_TIME_MILLIS,
                                null,
                                json.getBytes(StandardCharsets.UTF_8)));
                if (r % 1000 == 0) {
                    records.add(
                            new ProducerRecord<>(
                                    fixture.raw,
                                    r % 2,
                                    BadInputs.RECORD_TIME_MILLIS,
                                    null,
                                    ("broken " + r).getBytes(StandardCharsets.UTF_8)));
                }
            }
            fixture.kafka.sendAll(records);

            String failure = "exactly-once-" + fixture.keyspace;
            // 500 records per reader between checkpoints: 10 checkpoints cut the stream.
            fixture.runPaced(
                    fixture.environment(3),
                    SinkApplier.of(
                            new FailOnceSink<>(
                                    IngestSinks.rawTableSink(fixture.config), failure, 500)),
                    500);
            assertThat(FailOnceSink.failures(failure))
                    .as("the injected failure happened")
                    .isPositive();

            List<Observation> observations = fixture.observations();
            List<String> written =
                    observations.stream()
                            .map(o -> o.getSeriesKey() + "@" + o.getTimestampMicros())
                            .toList();
            assertThat(written).doesNotHaveDuplicates();
            assertThat(new HashSet<>(written)).isEqualTo(expected);

            List<Rejected> deadLetters = fixture.deadLetters();
            assertThat(deadLetters).hasSize(RECORDS / 1000);
            assertThat(deadLetters).extracting(Rejected::getReason).containsOnly("UNKNOWN_FORMAT");
            assertThat(deadLetters).extracting(Rejected::getSourceOffset).doesNotHaveDuplicates();

            long rows = fixture.rows("observations_raw");
            assertThat(rows).isEqualTo(expected.size());
            long series = fixture.rows("series");
            assertThat(series).isEqualTo(SERIES);
        }
    }
}
