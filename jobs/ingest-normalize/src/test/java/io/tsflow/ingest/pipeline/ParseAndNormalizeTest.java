package io.tsflow.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.ingest.BadInputs;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.testing.LocalServers;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * The Flink function in an operator test harness: main output, side output, and the record types.
 */
class ParseAndNormalizeTest {

    @Test
    void observationsGoToTheMainOutputAndRejectsToTheSideOutput() throws Exception {
        ParseAndNormalize function =
                new ParseAndNormalize(
                        IngestRules.defaults(),
                        RegistrySettings.of(LocalServers.get().registryUrl()));
        try (OneInputStreamOperatorTestHarness<UndecodedRecord, Observation> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(function))) {
            harness.open();
            String json =
                    "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[\"2025-11-22T08:00:00\",1],"
                        + "[\"2025-11-22T08:00:01\",NaN]]}";
            harness.processElement(
                    new StreamRecord<>(
                            new UndecodedRecord(
                                    "raw",
                                    0,
                                    5,
                                    BadInputs.RECORD_TIME_MILLIS,
                                    null,
                                    json.getBytes(StandardCharsets.UTF_8)),
                            BadInputs.RECORD_TIME_MILLIS));
            harness.processElement(
                    new StreamRecord<>(
                            new UndecodedRecord(
                                    "raw", 0, 6, BadInputs.RECORD_TIME_MILLIS, null, null)));

            assertThat(harness.extractOutputValues())
                    .extracting(Observation::getSeriesKey)
                    .containsExactly("m");
            assertThat(harness.getSideOutput(ParseAndNormalize.REJECTED))
                    .extracting(r -> r.getValue().getReason())
                    .containsExactly("NON_FINITE_VALUE", "EMPTY_RECORD");
            // The element timestamp (the Kafka record time) is kept for the sinks.
            assertThat(harness.getSideOutput(ParseAndNormalize.REJECTED).peek().getTimestamp())
                    .isEqualTo(BadInputs.RECORD_TIME_MILLIS);
        }
    }

    @Test
    void recordTypesNeverFallBackToKryo() {
        PojoTestUtils.assertSerializedAsPojo(UndecodedRecord.class);
        assertThat(TypeInformation.of(Observation.class)).isInstanceOf(AvroTypeInfo.class);
        assertThat(TypeInformation.of(Rejected.class)).isInstanceOf(AvroTypeInfo.class);
    }
}
