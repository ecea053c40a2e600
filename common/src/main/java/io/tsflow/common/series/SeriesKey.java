package io.tsflow.common.series;

import java.util.Arrays;
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

    /**
     * Whether {@code key} is the key {@link #of} writes for {@code metric} and {@code tags} (in any
     * order), compared in place: every observation a job reads is checked so, and building the key
     * (a sorted copy of the tags, a builder, a string) was most of what that check allocated.
     */
    public static boolean isKeyOf(String key, String metric, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return key.equals(metric);
        }
        int last = key.length() - 1;
        if (!key.startsWith(metric)
                || last <= metric.length()
                || key.charAt(metric.length()) != '{'
                || key.charAt(last) != '}') {
            return false;
        }
        String[] names = tags.keySet().toArray(new String[0]);
        Arrays.sort(names);
        int at = metric.length() + 1;
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                if (key.charAt(at) != ',') {
                    return false;
                }
                at++;
            }
            String value = tags.get(names[i]);
            if (value == null || !key.startsWith(names[i], at)) {
                return false;
            }
            at += names[i].length();
            if (!key.startsWith("=\"", at)) {
                return false;
            }
            at = matchEscaped(key, at + 2, value);
            if (at < 0 || at >= last || key.charAt(at) != '"') {
                return false;
            }
            at++;
            if (at > last) {
                return false;
            }
        }
        return at == last;
    }

    /**
     * Where {@code value}, escaped as {@link #of} writes it, ends in {@code key}; -1 if not there.
     */
    private static int matchEscaped(String key, int at, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escaped = escaped(c);
            if (escaped == null) {
                if (at >= key.length() || key.charAt(at) != c) {
                    return -1;
                }
                at++;
            } else {
                if (!key.startsWith(escaped, at)) {
                    return -1;
                }
                at += escaped.length();
            }
        }
        return at;
    }

    private static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escaped = escaped(c);
            if (escaped == null) {
                out.append(c);
            } else {
                out.append(escaped);
            }
        }
    }

    /** How a key writes {@code c} in a tag value; null if as it is. */
    private static String escaped(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '"' -> "\\\"";
            case '\n' -> "\\n";
            default -> null;
        };
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
