package io.tsflow.benchmarks.peers.sql;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * One observation as the row {@code (series_key, ts_micros, v)}; a value that is not a number reads
 * as NaN. A record that cannot be decoded fails the job: the peer has no dead-letter path.
 */
final class ObservationRowDeserializer implements DeserializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final String registryUrl;
    private final TypeInformation<RowData> producedType;
    private transient ConfluentAvroDecoder<Observation> decoder;

    ObservationRowDeserializer(String registryUrl, TypeInformation<RowData> producedType) {
        this.registryUrl = registryUrl;
        this.producedType = producedType;
    }

    @Override
    public void open(InitializationContext context) {
        decoder =
                new ConfluentAvroDecoder<>(
                        new SchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        Observation.getClassSchema());
    }

    @Override
    public RowData deserialize(byte[] message) throws IOException {
        Observation observation;
        try {
            observation = decoder.decode(message);
        } catch (ConfluentAvroDecoder.DecodeException e) {
            throw new IOException(e.getMessage(), e);
        }
        double value =
                observation.getValue() instanceof Number number ? number.doubleValue() : Double.NaN;
        return GenericRowData.of(
                StringData.fromString(observation.getSeriesKey()),
                observation.getTimestampMicros(),
                value);
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
