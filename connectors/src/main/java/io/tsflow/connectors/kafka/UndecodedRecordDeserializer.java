package io.tsflow.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Wraps each Kafka record, whatever its bytes: nothing can fail here, so nothing is lost before
 * validation.
 */
public class UndecodedRecordDeserializer
        implements KafkaRecordDeserializationSchema<UndecodedRecord> {

    private static final long serialVersionUID = 1L;
    public static final String FORMAT_HEADER = "tsflow.format";

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<UndecodedRecord> out) {
        Header format = record.headers().lastHeader(FORMAT_HEADER);
        out.collect(
                new UndecodedRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        format == null || format.value() == null
                                ? null
                                : new String(format.value(), StandardCharsets.UTF_8),
                        record.value()));
    }

    @Override
    public TypeInformation<UndecodedRecord> getProducedType() {
        return TypeInformation.of(UndecodedRecord.class);
    }
}
