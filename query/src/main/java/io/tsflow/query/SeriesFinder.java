package io.tsflow.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tsflow.common.series.SeriesKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds series by tag matchers in the series registry that the jobs write beside the raw table:
 * {@code series} (by metric and shard) when a matcher names the metric, else {@code series_by_tag}
 * (by one exact tag and shard). Every shard of the range is read, so a series that reported in any
 * part of it is found; the other matchers filter the candidates.
 */
public final class SeriesFinder {

    private final CqlSession session;
    private final boolean dailyShards;
    private final PreparedStatement byMetric;
    private final PreparedStatement byTag;

    public SeriesFinder(CqlSession session, String keyspace, boolean dailyShards) {
        this.session = session;
        this.dailyShards = dailyShards;
        this.byMetric =
                session.prepare(
                        "SELECT series_key FROM "
                                + keyspace
                                + ".series WHERE metric = ? AND shard = ?");
        this.byTag =
                session.prepare(
                        "SELECT series_key FROM "
                                + keyspace
                                + ".series_by_tag WHERE tag_key = ? AND tag_value = ? AND shard ="
                                + " ?");
    }

    /**
     * The series matching every matcher, by key; more than {@code maxSeries} is a {@link
     * BadQueryException}.
     */
    public List<SeriesRef> find(List<TagMatcher> matchers, TimeRange range, int maxSeries) {
        TagMatcher start =
                matchers.stream()
                        .filter(m -> m.selects() && m.key().equals("name"))
                        .findFirst()
                        .or(() -> matchers.stream().filter(TagMatcher::selects).findFirst())
                        .orElseThrow(
                                () ->
                                        new BadQueryException(
                                                "seriesByTag needs at least one tag=value term"
                                                        + " with a non-empty value"));
        Map<String, SeriesRef> found = new TreeMap<>();
        for (String shard : range.rawShards(dailyShards)) {
            Iterable<Row> rows =
                    start.key().equals("name")
                            ? session.execute(byMetric.bind(start.value(), shard))
                            : session.execute(byTag.bind(start.key(), start.value(), shard));
            for (Row row : rows) {
                String key = row.getString(0);
                if (found.containsKey(key)) {
                    continue;
                }
                SeriesKey.Parts parts = SeriesKey.parse(key);
                if (matchers.stream().allMatch(m -> m.matches(parts.metric(), parts.tags()))) {
                    found.put(key, new SeriesRef(key, parts.metric(), parts.tags()));
                    if (found.size() > maxSeries) {
                        throw new BadQueryException(
                                "more than "
                                        + maxSeries
                                        + " series match "
                                        + matchers
                                        + ": narrow the query");
                    }
                }
            }
        }
        return List.copyOf(found.values());
    }
}
