package io.tsflow.ingest.normalize;

import io.tsflow.common.RejectReason;
import io.tsflow.common.series.NameCharacters;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.common.text.Utf16;
import io.tsflow.common.types.InvalidValueException;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.config.Limits;
import io.tsflow.ingest.config.RenameRule;
import io.tsflow.ingest.config.StaticTags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a message's series its canonical identity, in this order: the first matching rename rule
 * rewrites the metric and adds captured tags; static tags for the metric are added where absent;
 * keys and values lose leading and trailing spaces and tabs (never control characters, which are
 * refused) and are sorted; then names are checked against the rules of
 * docs/jobs/ingest-normalize.md ("Validation rules").
 */
public final class SeriesNormalizer {

    private final Limits limits;
    private final List<CompiledRename> renames = new ArrayList<>();
    private final List<CompiledStaticTags> staticTags = new ArrayList<>();

    private record CompiledRename(Pattern pattern, RenameRule rule) {}

    private record CompiledStaticTags(Pattern pattern, Map<String, String> tags) {}

    public SeriesNormalizer(IngestRules rules) {
        this.limits = rules.limits();
        for (RenameRule rule : rules.renames()) {
            renames.add(new CompiledRename(Pattern.compile(rule.match()), rule));
        }
        for (StaticTags tags : rules.staticTags()) {
            staticTags.add(new CompiledStaticTags(Pattern.compile(tags.metric()), tags.tags()));
        }
    }

    public SeriesIdentity identify(String rawMetric, Map<String, String> rawTags)
            throws InvalidValueException {
        if (rawMetric.length() > 4 * limits.maxMetricLength()) {
            throw new InvalidValueException(
                    RejectReason.INVALID_METRIC_NAME,
                    "metric name of " + rawMetric.length() + " characters is too long");
        }
        String metric = Utf16.trimSpaces(rawMetric);
        TreeMap<String, String> tags = new TreeMap<>();
        int sent = 0;
        if (rawTags != null) {
            if (rawTags.size() > limits.maxTags()) {
                throw tooManyTags(rawTags.size());
            }
            for (Map.Entry<String, String> tag : rawTags.entrySet()) {
                String key = putTag(tags, tag.getKey(), tag.getValue());
                if (tags.size() < ++sent) {
                    throw new InvalidValueException(
                            RejectReason.INVALID_TAG_KEY,
                            "tag key '"
                                    + shown(tag.getKey())
                                    + "' is another tag's key '"
                                    + key
                                    + "' once trimmed: which value is meant is ambiguous");
                }
            }
        }
        for (CompiledRename rename : renames) {
            Matcher matcher = rename.pattern().matcher(metric);
            if (matcher.matches()) {
                if (rename.rule().metric() != null) {
                    metric = Utf16.trimSpaces(RenameRule.expand(rename.rule().metric(), matcher));
                }
                for (Map.Entry<String, String> tag : rename.rule().tags().entrySet()) {
                    putTag(tags, tag.getKey(), RenameRule.expand(tag.getValue(), matcher));
                }
                break;
            }
        }
        for (CompiledStaticTags extra : staticTags) {
            if (extra.pattern().matcher(metric).matches()) {
                for (Map.Entry<String, String> tag : extra.tags().entrySet()) {
                    if (!tags.containsKey(tag.getKey())) {
                        putTag(tags, tag.getKey(), tag.getValue());
                    }
                }
            }
        }
        checkMetric(metric);
        if (tags.size() > limits.maxTags()) {
            throw tooManyTags(tags.size());
        }
        return new SeriesIdentity(metric, tags, SeriesKey.of(metric, tags));
    }

    private InvalidValueException tooManyTags(int count) {
        return new InvalidValueException(
                RejectReason.TOO_MANY_TAGS,
                "the series has " + count + " tags, more than the limit of " + limits.maxTags());
    }

    /** Checks and adds one tag (replacing one of the same key); returns its trimmed key. */
    private String putTag(TreeMap<String, String> tags, String rawKey, String rawValue)
            throws InvalidValueException {
        String key = Utf16.trimSpaces(rawKey);
        if (key.isEmpty()
                || key.length() > limits.maxTagKeyLength()
                || !NameCharacters.isTagKey(key)) {
            throw new InvalidValueException(
                    RejectReason.INVALID_TAG_KEY,
                    "tag key '"
                            + shown(rawKey)
                            + "' must be 1-"
                            + limits.maxTagKeyLength()
                            + " characters of letters, digits, _ . - starting with a letter or _");
        }
        if (key.startsWith("__") || key.startsWith("tsflow.")) {
            throw new InvalidValueException(
                    RejectReason.RESERVED_TAG_KEY,
                    "tag key '" + key + "' is reserved (keys starting with __ or tsflow.)");
        }
        String value = rawValue == null ? "" : Utf16.trimSpaces(rawValue);
        if (value.isEmpty() || value.length() > limits.maxTagValueLength() || !printable(value)) {
            throw new InvalidValueException(
                    RejectReason.INVALID_TAG_VALUE,
                    "value of tag '"
                            + key
                            + "' must be 1-"
                            + limits.maxTagValueLength()
                            + " printable characters, got '"
                            + shown(value)
                            + "'");
        }
        tags.put(key, value);
        return key;
    }

    private void checkMetric(String metric) throws InvalidValueException {
        if (metric.isEmpty()
                || metric.length() > limits.maxMetricLength()
                || !NameCharacters.isMetricName(metric)) {
            throw new InvalidValueException(
                    RejectReason.INVALID_METRIC_NAME,
                    "metric '"
                            + shown(metric)
                            + "' must be 1-"
                            + limits.maxMetricLength()
                            + " characters of letters, digits, _ . : / - not starting with . : /"
                            + " -");
        }
    }

    /**
     * No control characters and no unpaired UTF-16 surrogates (which cannot be encoded as UTF-8).
     */
    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
        }
        return Utf16.isWellFormed(value);
    }

    private static String shown(String text) {
        String cut = text.length() <= 60 ? text : text.substring(0, 60) + "...";
        StringBuilder safe = new StringBuilder();
        cut.codePoints()
                .forEach(
                        cp -> {
                            if (Character.isISOControl(cp) || Character.isSurrogate((char) cp)) {
                                safe.append(String.format("\\u%04x", cp));
                            } else {
                                safe.appendCodePoint(cp);
                            }
                        });
        return safe.toString();
    }
}
