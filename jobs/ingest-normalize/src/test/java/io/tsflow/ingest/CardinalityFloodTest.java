package io.tsflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.flink.TestClusters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One gateway sends thousands of one-off series (a distinct tag value per reading) among a known
 * series' steady readings. The ingest job, with no restart allowed, lets through at most its limit
 * of new series per subtask, dead-letters the rest with {@code CARDINALITY_LIMIT}, and keeps every
 * reading of the known series.
 */
class CardinalityFloodTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.parallelismTwo();

    private static final int PER_MINUTE = 200;
    private static final int FLOOD = 5_000;
    private static final int STEADY = 200;

    private static byte[] reading(String tags, long millis) {
        return ("{\"metric\":\"room.temperature\",\"tagset\":{"
                        + tags
                        + "},\"type\":\"tdouble\",\"values\":[["
                        + millis
                        + ",21.5]]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFloodOfNewSeriesIsCutAtTheLimitAndKnownSeriesKeepFlowing() throws Exception {
        try (IngestFixture fixture =
                new IngestFixture(
                        "  newSeries: {perMinute: " + PER_MINUTE + ", startupGrace: 0s}\n")) {
            long base = BadInputs.RECORD_TIME_MILLIS - 3_600_000L;
            List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
            for (int partition = 0; partition < 2; partition++) {
                first.add(
                        new ProducerRecord<>(
                                fixture.raw,
                                partition,
                                BadInputs.RECORD_TIME_MILLIS,
                                null,
                                reading("\"room\":\"steady-" + partition + "\"", base)));
            }
            fixture.kafka.sendAll(first);
            List<ProducerRecord<byte[], byte[]>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                int partition = i % 2;
                flood.add(
                        new ProducerRecord<>(
                                fixture.raw,
                                partition,
                                BadInputs.RECORD_TIME_MILLIS,
                                null,
                                reading("\"room\":\"one-off-" + i + "\"", base + i)));
                if (i % (FLOOD / STEADY) == 0) {
                    flood.add(
                            new ProducerRecord<>(
                                    fixture.raw,
                                    partition,
                                    BadInputs.RECORD_TIME_MILLIS,
                                    null,
                                    reading("\"room\":\"steady-" + partition + "\"", base + i)));
                }
            }
            fixture.kafka.sendAll(flood);

            long started = System.nanoTime();
            fixture.run(fixture.environment(0), SinkApplier.none());
            double minutes = (System.nanoTime() - started) / 60e9;

            List<Observation> observations = fixture.observations();
            long steady =
                    observations.stream()
                            .filter(o -> o.getTagset().get("room").startsWith("steady"))
                            .count();
            long oneOff = observations.size() - steady;
            assertThat(steady).as("every reading of the known series").isEqualTo(2 + STEADY);
            // Each of the two subtasks: a minute's burst, plus what refilled while the job ran.
            assertThat(oneOff)
                    .isGreaterThanOrEqualTo(PER_MINUTE)
                    .isLessThanOrEqualTo((long) Math.ceil(2 * PER_MINUTE * (1 + minutes)));
            List<Rejected> deadLetters = fixture.deadLetters();
            assertThat(deadLetters)
                    .extracting(Rejected::getReason)
                    .containsOnly("CARDINALITY_LIMIT");
            assertThat(deadLetters).hasSize((int) (FLOOD - oneOff));
        }
    }
}
