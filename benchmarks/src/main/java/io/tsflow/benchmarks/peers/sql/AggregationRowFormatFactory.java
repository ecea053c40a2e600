package io.tsflow.benchmarks.peers.sql;

import java.util.Set;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;

/**
 * SQL format {@code tsflow-aggregation}: writes the rows {@code (series_key STRING, level STRING,
 * bucket_start TIMESTAMP(3), bucket_end TIMESTAMP(3), cnt BIGINT, total DOUBLE, lo DOUBLE, hi
 * DOUBLE)} as tsflow's {@code Aggregation} in the Confluent wire format, the schema registered
 * under {@code subject}.
 */
public final class AggregationRowFormatFactory implements SerializationFormatFactory {

    public static final String IDENTIFIER = "tsflow-aggregation";
    public static final ConfigOption<String> REGISTRY_URL =
            ConfigOptions.key("registry-url").stringType().noDefaultValue();
    public static final ConfigOption<String> SUBJECT =
            ConfigOptions.key("subject").stringType().noDefaultValue();

    @Override
    public EncodingFormat<SerializationSchema<RowData>> createEncodingFormat(
            DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        FactoryUtil.validateFactoryOptions(this, formatOptions);
        String registryUrl = formatOptions.get(REGISTRY_URL);
        String subject = formatOptions.get(SUBJECT);
        return new EncodingFormat<>() {
            @Override
            public SerializationSchema<RowData> createRuntimeEncoder(
                    DynamicTableSink.Context sinkContext, DataType physicalDataType) {
                return new AggregationRowSerializer(registryUrl, subject);
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
        return Set.of(REGISTRY_URL, SUBJECT);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }
}
