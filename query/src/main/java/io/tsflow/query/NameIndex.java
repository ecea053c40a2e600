package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.List;
import java.util.TreeSet;

/**
 * The names in use over a range, from the name tables the jobs write beside the raw table: metric
 * names, tag keys, and a tag key's values ({@code name} being the metric). Sorted, deduplicated
 * across shards.
 */
public final class NameIndex {

    private final CqlSession session;
    private final boolean dailyShards;
    private final PreparedStatement metrics;
    private final PreparedStatement tagKeys;
    private final PreparedStatement tagValues;

    public NameIndex(CqlSession session, String keyspace, boolean dailyShards) {
        this.session = session;
        this.dailyShards = dailyShards;
        this.metrics =
                session.prepare("SELECT metric FROM " + keyspace + ".metric_names WHERE shard = ?");
        this.tagKeys =
                session.prepare("SELECT tag_key FROM " + keyspace + ".tag_keys WHERE shard = ?");
        this.tagValues =
                session.prepare(
                        "SELECT tag_value FROM "
                                + keyspace
                                + ".tag_values WHERE tag_key = ? AND shard = ?");
    }

    public TreeSet<String> metricNames(TimeRange range) {
        TreeSet<String> names = new TreeSet<>();
        for (String shard : range.rawShards(dailyShards)) {
            for (Row row : session.execute(metrics.bind(shard))) {
                names.add(row.getString(0));
            }
        }
        return names;
    }

    /** The tag keys, {@code name} included. */
    public TreeSet<String> tagKeys(TimeRange range) {
        TreeSet<String> keys = new TreeSet<>(List.of("name"));
        for (String shard : range.rawShards(dailyShards)) {
            for (Row row : session.execute(tagKeys.bind(shard))) {
                keys.add(row.getString(0));
            }
        }
        return keys;
    }

    public TreeSet<String> tagValues(String tag, TimeRange range) {
        if (tag.equals("name")) {
            return metricNames(range);
        }
        TreeSet<String> values = new TreeSet<>();
        for (String shard : range.rawShards(dailyShards)) {
            for (Row row : session.execute(tagValues.bind(tag, shard))) {
                values.add(row.getString(0));
            }
        }
        return values;
    }
}
