package io.tsflow.common.series;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The canonical identity of a series: {@code metric{key="value",...}} with tags sorted by key and
 * values quoted and escaped ({@code \\}, {@code \"}, {@code \n}), so two tagsets that differ only
 * in order give the same key and no two different series share one. Used as the Kafka record key
 * and the Cassandra partition key. Ingest admits no '{' in metric names and only {@code
 * [A-Za-z0-9_.-]} in tag keys, so {@link #parse} recovers the metric and tags from a key.
 */
public final class SeriesKey {

    private SeriesKey() {}

    public static String of(String metric, SortedMap<String, String> canonicalTags) {
        if (canonicalTags.isEmpty()) {
            return metric;
        }
        StringBuilder key = new StringBuilder(metric.length() + 16 * canonicalTags.size());
        key.append(metric).append('{');
        boolean first = true;
        for (Map.Entry<String, String> tag : canonicalTags.entrySet()) {
            if (!first) {
                key.append(',');
            }
            first = false;
            key.append(tag.getKey()).append("=\"");
            appendEscaped(key, tag.getValue());
            key.append('"');
        }
        return key.append('}').toString();
    }

    private static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** A series key taken apart again. */
    public record Parts(String metric, SortedMap<String, String> tags) {}

    /**
     * The metric and tags of a key made by {@link #of}, so that state keyed by series need not
     * store them again.
     *
     * @throws IllegalArgumentException if {@code key} is not in the form {@link #of} writes
     */
    public static Parts parse(String key) {
        int open = key.indexOf('{');
        if (open < 0) {
            return new Parts(key, Collections.emptySortedMap());
        }
        if (!key.endsWith("}")) {
            throw new IllegalArgumentException("not a series key: " + key);
        }
        TreeMap<String, String> tags = new TreeMap<>();
        int at = open + 1;
        int end = key.length() - 1;
        while (at < end) {
            int equals = key.indexOf("=\"", at);
            if (equals < 0) {
                throw new IllegalArgumentException("not a series key: " + key);
            }
            String tag = key.substring(at, equals);
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < end; i++) {
                char c = key.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i + 1 < end) {
                    char escaped = key.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            if (i >= end) {
                throw new IllegalArgumentException("not a series key: " + key);
            }
            tags.put(tag, value.toString());
            at = i + 1;
            if (at < end && key.charAt(at) == ',') {
                at++;
            }
        }
        return new Parts(key.substring(0, open), tags);
    }
}
