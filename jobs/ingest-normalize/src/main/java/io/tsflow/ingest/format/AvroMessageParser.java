package io.tsflow.ingest.format;

import io.tsflow.common.RejectReason;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.RawPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link RawMessage} records in the Confluent wire format. The writer schema comes from the
 * registry by id; an unknown id or bytes that do not decode reject the record, while an unreachable
 * registry is an {@link IOException} that fails the job (it restarts and retries) rather than
 * dead-lettering good data.
 */
public final class AvroMessageParser {

    private final ConfluentAvroDecoder<RawMessage> decoder;

    public AvroMessageParser(ConfluentAvroDecoder<RawMessage> decoder) {
        this.decoder = decoder;
    }

    public List<ParsedMessage> parse(byte[] bytes) throws RecordRejectedException, IOException {
        RawMessage message;
        try {
            message = decoder.decode(bytes);
        } catch (ConfluentAvroDecoder.DecodeException e) {
            throw new RecordRejectedException(e.failure().reason(), e.getMessage());
        }
        if (message.getValues().isEmpty()) {
            throw new RecordRejectedException(RejectReason.NO_POINTS, "\"values\" is empty");
        }
        List<ParsedPoint> points = new ArrayList<>(message.getValues().size());
        for (int i = 0; i < message.getValues().size(); i++) {
            RawPoint point = message.getValues().get(i);
            if (point.getValue() == null) {
                points.add(
                        ParsedPoint.invalid(
                                i,
                                point.getTimestampMicros(),
                                null,
                                RejectReason.MISSING_VALUE,
                                "the point has no value"));
            } else {
                points.add(ParsedPoint.of(i, point.getTimestampMicros(), point.getValue()));
            }
        }
        return List.of(
                ParsedMessage.typed(
                        null,
                        message.getMetric(),
                        message.getTagset(),
                        message.getType(),
                        points,
                        () -> bytes,
                        false));
    }
}
