package io.tsflow.common.series;

import java.util.Map;
import java.util.SortedMap;

/**
 * The canonical identity of a series: {@code metric{key="value",...}} with tags sorted by key and
 * values quoted and escaped ({@code \\}, {@code \"}, {@code \n}), so two tagsets that differ only
 * in order give the same key and no two different series share one. Used as the Kafka record key
 * and the Cassandra partition key.
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
}
