package io.tsflow.query;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The names Grafana's query editor lists, in Graphite's shapes: {@code /metrics/find?query=a.*}
 * (tree JSON), {@code /tags?filter=regex}, {@code /tags/autoComplete/tags?tagPrefix=&expr=} and
 * {@code /tags/autoComplete/values?tag=&valuePrefix=&expr=}. With {@code expr} terms, only the tags
 * of the series they match count (and tags the terms already fix are left out). The range is {@code
 * from} and {@code until}, the last 30 days by default.
 */
final class BrowseApi {

    private static final int DEFAULT_LIMIT = 100;

    private final QueryService service;
    private final NameIndex names;

    BrowseApi(QueryService service, NameIndex names) {
        this.service = service;
        this.names = names;
    }

    void findMetrics(HttpExchange exchange, QueryParameters query) throws IOException {
        String pattern = query.get("query", null);
        if (pattern == null || pattern.isEmpty()) {
            throw new BadQueryException("query: required");
        }
        TimeRange range = query.range("-30d", System.currentTimeMillis());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (MetricTree.Node node : MetricTree.find(pattern, names.metricNames(range))) {
            nodes.add(
                    Map.of(
                            "text", node.text(),
                            "id", node.id(),
                            "leaf", node.leaf() ? 1 : 0,
                            "expandable", node.expandable() ? 1 : 0,
                            "allowChildren", node.expandable() ? 1 : 0));
        }
        JsonResponses.send(exchange, 200, nodes);
    }

    void tags(HttpExchange exchange, QueryParameters query) throws IOException {
        Pattern filter = regex(query.get("filter", ""));
        TimeRange range = query.range("-30d", System.currentTimeMillis());
        List<Map<String, String>> tags = new ArrayList<>();
        for (String key : names.tagKeys(range)) {
            if (filter.matcher(key).lookingAt()) {
                tags.add(Map.of("tag", key));
            }
        }
        JsonResponses.send(exchange, 200, tags);
    }

    void autoCompleteTags(HttpExchange exchange, QueryParameters query) throws IOException {
        TimeRange range = query.range("-30d", System.currentTimeMillis());
        List<TagMatcher> expressions = expressions(query);
        TreeSet<String> keys;
        if (expressions.isEmpty()) {
            keys = names.tagKeys(range);
        } else {
            keys = fromSeries(expressions, range, ref -> withName(ref).keySet());
            expressions.forEach(e -> keys.remove(e.key()));
        }
        send(exchange, keys, query.get("tagPrefix", ""), query.positive("limit", DEFAULT_LIMIT));
    }

    void autoCompleteValues(HttpExchange exchange, QueryParameters query) throws IOException {
        String tag = query.get("tag", null);
        if (tag == null || tag.isEmpty()) {
            throw new BadQueryException("tag: required");
        }
        TimeRange range = query.range("-30d", System.currentTimeMillis());
        List<TagMatcher> expressions = expressions(query);
        TreeSet<String> values =
                expressions.isEmpty()
                        ? names.tagValues(tag, range)
                        : fromSeries(
                                expressions,
                                range,
                                ref -> {
                                    String value = withName(ref).get(tag);
                                    return value == null ? List.of() : List.of(value);
                                });
        send(
                exchange,
                values,
                query.get("valuePrefix", ""),
                query.positive("limit", DEFAULT_LIMIT));
    }

    private TreeSet<String> fromSeries(
            List<TagMatcher> expressions,
            TimeRange range,
            Function<SeriesRef, ? extends java.util.Collection<String>> namesOf) {
        TreeSet<String> found = new TreeSet<>();
        for (SeriesRef ref : service.find(expressions, range)) {
            found.addAll(namesOf.apply(ref));
        }
        return found;
    }

    private static Map<String, String> withName(SeriesRef ref) {
        java.util.TreeMap<String, String> tags = new java.util.TreeMap<>(ref.tags());
        tags.put("name", ref.metric());
        return tags;
    }

    private static List<TagMatcher> expressions(QueryParameters query) {
        List<TagMatcher> expressions = new ArrayList<>();
        for (String expression : query.all("expr")) {
            expressions.add(TagMatcher.parse(expression));
        }
        return expressions;
    }

    private static void send(HttpExchange exchange, TreeSet<String> names, String prefix, int limit)
            throws IOException {
        List<String> matching = new ArrayList<>();
        for (String name : names.tailSet(prefix, true)) {
            if (!name.startsWith(prefix) || matching.size() == limit) {
                break;
            }
            matching.add(name);
        }
        JsonResponses.send(exchange, 200, matching);
    }

    private static Pattern regex(String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new BadQueryException(
                    "bad regular expression '"
                            + text
                            + "': "
                            + e.getDescription().toLowerCase(Locale.ROOT));
        }
    }
}
