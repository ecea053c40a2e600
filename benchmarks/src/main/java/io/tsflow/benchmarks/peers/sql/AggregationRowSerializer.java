package io.tsflow.benchmarks.peers.sql;

import io.tsflow.benchmarks.peers.PeerAggregations;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Aggregation;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.RowData;

/** One bucket row as an {@code Aggregation} (see {@link AggregationRowFormatFactory}). */
final class AggregationRowSerializer implements SerializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final String registryUrl;
    private final String subject;
    private transient ConfluentAvroEncoder<Aggregation> encoder;

    AggregationRowSerializer(String registryUrl, String subject) {
        this.registryUrl = registryUrl;
        this.subject = subject;
    }

    @Override
    public void open(InitializationContext context) throws IOException {
        encoder =
                new ConfluentAvroEncoder<>(
                        new SchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        subject,
                        Aggregation.getClassSchema());
    }

    @Override
    public byte[] serialize(RowData row) {
        try {
            // The session time zone is UTC, so a window bound's local milliseconds are epoch ones.
            return encoder.encode(
                    PeerAggregations.of(
                            row.getString(0).toString(),
                            row.getString(1).toString(),
                            row.getTimestamp(2, 3).getMillisecond() * 1000,
                            row.getTimestamp(3, 3).getMillisecond() * 1000,
                            row.getLong(4),
                            row.getDouble(5),
                            row.getDouble(6),
                            row.getDouble(7)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
