package io.tsflow.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Graphite's {@code /metrics/find}: metric names read as dot-separated paths, and a query such as
 * {@code room.*} or {@code room.{temp,hum}*} that matches the nodes one level down. Each node is a
 * leaf (a metric), a branch (a prefix of longer names), or both.
 */
final class MetricTree {

    /** One node found: its last segment, its full path, and what it is. */
    record Node(String text, String id, boolean leaf, boolean expandable) {}

    private MetricTree() {}

    static List<Node> find(String query, Set<String> metricNames) {
        String[] patterns = query.split("\\.", -1);
        List<Pattern> segments = new ArrayList<>();
        for (String pattern : patterns) {
            segments.add(glob(pattern));
        }
        TreeMap<String, Node> nodes = new TreeMap<>();
        for (String metric : metricNames) {
            String[] parts = metric.split("\\.", -1);
            if (parts.length < segments.size()) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < segments.size() && matches; i++) {
                matches = segments.get(i).matcher(parts[i]).matches();
            }
            if (!matches) {
                continue;
            }
            String id = String.join(".", java.util.Arrays.copyOf(parts, segments.size()));
            boolean leaf = parts.length == segments.size();
            Node known = nodes.get(id);
            nodes.put(
                    id,
                    new Node(
                            parts[segments.size() - 1],
                            id,
                            leaf || (known != null && known.leaf()),
                            !leaf || (known != null && known.expandable())));
        }
        return List.copyOf(nodes.values());
    }

    /** A Graphite glob: {@code *}, {@code ?}, {@code [abc]}, {@code {a,b}}; the rest literal. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> regex.append("[^.]*");
                case '?' -> regex.append("[^.]");
                case '[' -> {
                    int end = pattern.indexOf(']', i);
                    if (end < 0) {
                        throw new BadQueryException("unterminated '[' in " + pattern);
                    }
                    regex.append('[')
                            .append(pattern.substring(i + 1, end).replace("\\", "\\\\"))
                            .append(']');
                    i = end;
                }
                case '{' -> {
                    braces++;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (braces-- == 0) {
                        throw new BadQueryException("unbalanced '}' in " + pattern);
                    }
                    regex.append(')');
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces != 0) {
            throw new BadQueryException("unbalanced '{' in " + pattern);
        }
        return Pattern.compile(regex.toString());
    }
}
