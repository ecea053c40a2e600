package io.tsflow.storage.raw;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.type.reflect.GenericType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.connectors.cassandra.CassandraStatementMapper;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.StructuredValue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stores observations in the raw table, and registers each series in the series registry and the
 * tag index once per shard per writer (not once per point), and its metric name, tag keys and tag
 * values in the name tables. Every statement is an upsert keyed only by the observation, so replays
 * overwrite; only the value column of the observation's type is bound, so other columns stay unset
 * rather than written as tombstones.
 */
public class RawObservationMapper implements CassandraStatementMapper<Observation> {

    private static final long serialVersionUID = 1L;
    private static final int REGISTERED_CACHE_SIZE = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Built once: the driver resolves generic types by reflection, far too slow to do per row. */
    private static final GenericType<Map<String, String>> TAGSET =
            GenericType.mapOf(String.class, String.class);

    private final String keyspace;
    private final Shards shards;
    private final int rawTtlSeconds;
    private final int registryTtlSeconds;

    private transient PreparedStatement insertPoint;
    private transient PreparedStatement insertSeries;
    private transient PreparedStatement insertTag;
    private transient PreparedStatement insertMetricName;
    private transient PreparedStatement insertTagKey;
    private transient PreparedStatement insertTagValue;
    private transient Map<String, Boolean> registered;

    public RawObservationMapper(String keyspace, StorageSettings storage) {
        this.keyspace = keyspace;
        this.shards = new Shards(storage.shard());
        this.rawTtlSeconds = (int) storage.ttl().getSeconds();
        // A registry row outlives the last point of its shard that it describes.
        this.registryTtlSeconds =
                rawTtlSeconds == 0
                        ? 0
                        : (int)
                                Math.min(
                                        Integer.MAX_VALUE,
                                        rawTtlSeconds
                                                + shards.length()
                                                        .plus(Duration.ofDays(1))
                                                        .getSeconds());
    }

    @Override
    public void open(CqlSession session) {
        insertPoint =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".observations_raw (series_key, shard, ts_micros, metric, tagset,"
                                + " type, value_double, value_long, value_bool, value_text,"
                                + " value_blob, value_latitude, value_longitude, value_fields)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                // The sink binds the write timestamp: points of one series
                                // and month then go to Cassandra as one batch.
                                + " USING TTL ? AND TIMESTAMP ?");
        insertSeries =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".series (metric, shard, series_key, tagset, type) VALUES (?, ?,"
                                + " ?, ?, ?) USING TTL ?");
        insertTag =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".series_by_tag (tag_key, tag_value, shard, series_key, metric)"
                                + " VALUES (?, ?, ?, ?, ?) USING TTL ?");
        insertMetricName =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".metric_names (shard, metric) VALUES (?, ?) USING TTL ?");
        insertTagKey =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".tag_keys (shard, tag_key) VALUES (?, ?) USING TTL ?");
        insertTagValue =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".tag_values (tag_key, shard, tag_value) VALUES (?, ?, ?) USING"
                                + " TTL ?");
        registered =
                new LinkedHashMap<>(1024, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > REGISTERED_CACHE_SIZE;
                    }
                };
    }

    @Override
    public void statementsFor(Observation observation, Consumer<Statement<?>> out) {
        String shard = shards.of(observation.getTimestampMicros());
        BoundStatementBuilder point =
                insertPoint
                        .boundStatementBuilder()
                        .setString(0, observation.getSeriesKey())
                        .setString(1, shard)
                        .setLong(2, observation.getTimestampMicros())
                        .setString(3, observation.getMetric())
                        .set(4, observation.getTagset(), TAGSET)
                        .setString(5, observation.getType())
                        .setInt(14, rawTtlSeconds);
        bindValue(point, observation.getValue());
        out.accept(point.build());

        if (registered.put(observation.getSeriesKey() + '\u0000' + shard, Boolean.TRUE) == null) {
            out.accept(
                    insertSeries.bind(
                            observation.getMetric(),
                            shard,
                            observation.getSeriesKey(),
                            observation.getTagset(),
                            observation.getType(),
                            registryTtlSeconds));
            for (Map.Entry<String, String> tag : observation.getTagset().entrySet()) {
                out.accept(
                        insertTag.bind(
                                tag.getKey(),
                                tag.getValue(),
                                shard,
                                observation.getSeriesKey(),
                                observation.getMetric(),
                                registryTtlSeconds));
            }
            registerNames(observation, shard, out);
        }
    }

    /** The series' metric name, tag keys and tag values, each once per shard in this writer. */
    private void registerNames(Observation observation, String shard, Consumer<Statement<?>> out) {
        if (firstTime("m", observation.getMetric(), shard)) {
            out.accept(insertMetricName.bind(shard, observation.getMetric(), registryTtlSeconds));
        }
        for (Map.Entry<String, String> tag : observation.getTagset().entrySet()) {
            if (firstTime("k", tag.getKey(), shard)) {
                out.accept(insertTagKey.bind(shard, tag.getKey(), registryTtlSeconds));
            }
            if (firstTime("v", tag.getKey() + '\u0000' + tag.getValue(), shard)) {
                out.accept(
                        insertTagValue.bind(
                                tag.getKey(), shard, tag.getValue(), registryTtlSeconds));
            }
        }
    }

    private boolean firstTime(String kind, String name, String shard) {
        return registered.put(kind + '\u0001' + name + '\u0000' + shard, Boolean.TRUE) == null;
    }

    private static void bindValue(BoundStatementBuilder statement, Object value) {
        if (value instanceof Double d) {
            statement.setDouble(6, d);
        } else if (value instanceof Long l) {
            statement.setLong(7, l);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(8, b);
        } else if (value instanceof CharSequence text) {
            statement.setString(9, text.toString());
        } else if (value instanceof ByteBuffer bytes) {
            statement.setByteBuffer(10, bytes.duplicate());
        } else if (value instanceof Pos2d position) {
            statement.setDouble(11, position.getLatitude()).setDouble(12, position.getLongitude());
        } else if (value instanceof StructuredValue structured) {
            statement.setString(13, JSON.valueToTree(structured.getFields()).toString());
        } else {
            throw new IllegalArgumentException("no column for a value of " + value.getClass());
        }
    }
}
