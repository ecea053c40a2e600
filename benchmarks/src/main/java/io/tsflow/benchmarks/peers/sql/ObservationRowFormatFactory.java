package io.tsflow.benchmarks.peers.sql;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;

/**
 * SQL format {@code tsflow-observation}: reads the {@code observations} topic's Confluent wire
 * format (schema looked up by id in the registry, as tsflow does) into the columns {@code
 * (series_key STRING, ts_micros BIGINT, v DOUBLE)}. The registry client is ours, since Confluent's
 * {@code avro-confluent} format needs Confluent's jars; Flink's {@code avro} format cannot map the
 * observation's value union.
 */
public final class ObservationRowFormatFactory implements DeserializationFormatFactory {

    public static final String IDENTIFIER = "tsflow-observation";
    public static final ConfigOption<String> REGISTRY_URL =
            ConfigOptions.key("registry-url").stringType().noDefaultValue();

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
            DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        FactoryUtil.validateFactoryOptions(this, formatOptions);
        String registryUrl = formatOptions.get(REGISTRY_URL);
        return new DecodingFormat<>() {
            @Override
            public DeserializationSchema<RowData> createRuntimeDecoder(
                    DynamicTableSource.Context sourceContext, DataType physicalDataType) {
                TypeInformation<RowData> producedType =
                        sourceContext.createTypeInformation(physicalDataType);
                return new ObservationRowDeserializer(registryUrl, producedType);
            }

            @Override
            public ChangelogMode getChangelogMode() {
                return ChangelogMode.insertOnly();
            }
        };
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(REGISTRY_URL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }
}
