package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the {@link Alert} records of one rule: the fingerprint, the labels Alertmanager groups and
 * routes by, and the annotations from the rule's templates. Built only when an alert changes or is
 * re-sent, never per point.
 */
public final class AlertRecords {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_.]+)\\s*}}");
    private static final Pattern NOT_A_LABEL_CHARACTER = Pattern.compile("[^A-Za-z0-9_]");

    private AlertRecords() {}

    /** Stable id of the alert of {@code rule} on a series: the same after any restart. */
    public static String fingerprint(String rule, String seriesKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(rule.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(seriesKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public static Alert build(
            AlertRule rule,
            String seriesKey,
            RuleWatch watch,
            AlertStatus status,
            long endsAtMillis,
            String reason) {
        SeriesKey.Parts series = SeriesKey.parse(seriesKey);
        Map<String, String> labels = labels(rule, series);
        Map<String, String> values = new HashMap<>();
        values.put("rule", rule.name());
        values.put("metric", series.metric());
        values.put("series", seriesKey);
        values.put("value", Double.isNaN(watch.lastValue) ? "" : format(watch.lastValue));
        values.put(
                "lastSeen",
                watch.lastEventMillis == RuleWatch.NONE
                        ? "never"
                        : Instant.ofEpochMilli(watch.lastEventMillis).toString());
        values.put("staleAfter", rule.staleAfter() == null ? "" : rule.staleAfter().toString());
        values.put("min", rule.min() == null ? "" : format(rule.min()));
        values.put("max", rule.max() == null ? "" : format(rule.max()));
        labels.forEach((label, value) -> values.put("labels." + label, value));
        Map<String, String> annotations = new HashMap<>();
        annotations.put(
                "summary",
                render(rule.summary() == null ? defaultSummary(rule) : rule.summary(), values));
        if (rule.description() != null) {
            annotations.put("description", render(rule.description(), values));
        }
        if (reason != null) {
            annotations.put("resolution", reason);
        }
        return Alert.newBuilder()
                .setFingerprint(fingerprint(rule.name(), seriesKey))
                .setRule(rule.name())
                .setKind(rule.alertKind())
                .setStatus(status)
                .setSeverity(rule.severityOrDefault())
                .setSeriesKey(seriesKey)
                .setMetric(series.metric())
                .setTagset(new HashMap<>(series.tags()))
                .setLabels(labels)
                .setAnnotations(annotations)
                .setStartsAtMillis(watch.firingSinceMillis)
                .setEndsAtMillis(status == AlertStatus.RESOLVED ? endsAtMillis : null)
                .setLastSeenMicros(
                        watch.lastEventMillis == RuleWatch.NONE
                                ? null
                                : watch.lastEventMillis * 1000)
                .build();
    }

    /**
     * The series' tags (those in {@code copyTags}, or all), then the rule's labels, then the fixed
     * labels {@code alertname}, {@code rule}, {@code metric}, {@code severity}, each overriding the
     * ones before. Tag names are made valid label names ('.' and '-' become '_').
     */
    static Map<String, String> labels(AlertRule rule, SeriesKey.Parts series) {
        Map<String, String> labels = new HashMap<>();
        series.tags()
                .forEach(
                        (tag, value) -> {
                            if (rule.copyTags() == null || rule.copyTags().contains(tag)) {
                                labels.put(labelName(tag), value);
                            }
                        });
        if (rule.labels() != null) {
            labels.putAll(rule.labels());
        }
        labels.put("alertname", rule.alertnameOrDefault());
        labels.put("rule", rule.name());
        labels.put("metric", series.metric());
        labels.put("severity", rule.severityOrDefault());
        return labels;
    }

    static String labelName(String tag) {
        String name = NOT_A_LABEL_CHARACTER.matcher(tag).replaceAll("_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /**
     * Replaces each {{name}} by its value; unknown names become empty, never an error at runtime.
     */
    static String render(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(
                    out, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), "")));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String defaultSummary(AlertRule rule) {
        return switch (rule.alertKind()) {
            case STALE -> "{{series}} sent nothing for {{staleAfter}} (last point {{lastSeen}})";
            case STUCK -> "{{series}} is stuck at {{value}}";
            case OUT_OF_RANGE -> "{{series}} is at {{value}}, outside [{{min}}, {{max}}]";
            default -> "{{series}}: {{rule}}";
        };
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
