package io.tsflow.derived.rules;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.series.NameCharacters;
import io.tsflow.derived.expression.ExpressionException;
import io.tsflow.derived.expression.RuleExpression;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One derived series rule: the {@code metric} and static {@code tags} of what it writes, the {@code
 * inputs} it reads (name → selector), the tags it groups by ({@code by}: one derived series per
 * distinct value, plus the inputs' metric captures), the {@code expression}, and the timing: a
 * value every {@code step} of event time, each input's latest value within {@code lookback}, {@code
 * fill} for a missing input, recomputation for inputs up to {@code allowedLateness} late.
 */
public record DerivedRule(
        String name,
        String metric,
        Map<String, String> tags,
        List<String> by,
        Map<String, InputSelector> inputs,
        String expression,
        Duration step,
        Duration lookback,
        String fill,
        Duration allowedLateness)
        implements Serializable {

    private static final Pattern INPUT_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern CAPTURE_REFERENCE = Pattern.compile("\\$(\\d+)");
    private static final Set<String> RESERVED =
            Set.of(
                    "sum",
                    "avg",
                    "min",
                    "max",
                    "count",
                    "rate",
                    "increase",
                    "delta",
                    "abs",
                    "round",
                    "log",
                    "exp",
                    "pow",
                    "clamp",
                    "if",
                    "sqrt",
                    "true",
                    "false");

    public Duration stepOrDefault() {
        return step == null ? Duration.ofSeconds(10) : step;
    }

    public Duration lookbackOrDefault() {
        return lookback == null ? Duration.ofMinutes(1) : lookback;
    }

    public Duration allowedLatenessOrDefault() {
        return allowedLateness == null ? Duration.ofMinutes(1) : allowedLateness;
    }

    public FillPolicy fillPolicy() {
        return fill == null ? FillPolicy.SKIP : FillPolicy.named(fill);
    }

    public List<String> byOrNone() {
        return by == null ? List.of() : by;
    }

    public Map<String, String> tagsOrNone() {
        return tags == null ? Map.of() : tags;
    }

    /** The compiled expression; call {@link #validate} first. */
    public RuleExpression compiledExpression() {
        return RuleExpression.compile(name, expression, inputs.keySet());
    }

    /** The derived metric for the inputs' metric captures ({@code $1}, {@code $2}, ...). */
    public String metricFor(List<String> captures) {
        Matcher reference = CAPTURE_REFERENCE.matcher(metric);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            int group = Integer.parseInt(reference.group(1));
            reference.appendReplacement(out, Matcher.quoteReplacement(captures.get(group - 1)));
        }
        reference.appendTail(out);
        return out.toString();
    }

    /** Checks the rule; errors name the key under {@code path} and the rule. */
    public void validate(String path) {
        ConfigException.require(
                name != null && INPUT_NAME.matcher(name.replace('-', '_')).matches(),
                Keys.join(path, "name"),
                "is required: lower-case letters, digits, '_' and '-'");
        ConfigException.require(
                metric != null && !metric.isBlank(), Keys.join(path, "metric"), "is required");
        ConfigException.require(
                inputs != null && !inputs.isEmpty(),
                Keys.join(path, "inputs"),
                "needs at least one input");
        Set<Integer> captureCounts = new HashSet<>();
        inputs.forEach(
                (input, selector) -> {
                    String key = Keys.join(path, "inputs." + input);
                    ConfigException.require(
                            INPUT_NAME.matcher(input).matches() && !RESERVED.contains(input),
                            key,
                            "input names are lower-case identifiers and not function names");
                    ConfigException.require(
                            selector != null && selector.metric() != null,
                            Keys.join(key, "metric"),
                            "is required");
                    selector.selector().validate(key);
                    captureCounts.add(selector.selector().captureCount());
                });
        ConfigException.require(
                captureCounts.size() == 1,
                Keys.join(path, "inputs"),
                "every input's metric pattern needs the same number of capture groups");
        int captures = captureCounts.iterator().next();
        Matcher reference = CAPTURE_REFERENCE.matcher(metric);
        while (reference.find()) {
            int group = Integer.parseInt(reference.group(1));
            ConfigException.require(
                    group >= 1 && group <= captures,
                    Keys.join(path, "metric"),
                    "$" + group + " refers to no capture group of the inputs' metric patterns");
        }
        for (String tag : byOrNone()) {
            ConfigException.require(
                    NameCharacters.isTagKey(tag),
                    Keys.join(path, "by"),
                    "'" + tag + "' is not a tag name");
        }
        positive(Keys.join(path, "step"), stepOrDefault());
        positive(Keys.join(path, "lookback"), lookbackOrDefault());
        ConfigException.require(
                !allowedLatenessOrDefault().isNegative(),
                Keys.join(path, "allowedLateness"),
                "must not be negative");
        ConfigException.require(
                fill == null || Set.of("skip", "zero", "previous").contains(fill),
                Keys.join(path, "fill"),
                "must be skip, zero or previous");
        try {
            compiledExpression();
        } catch (ExpressionException e) {
            throw new ConfigException(Keys.join(path, "expression") + ": " + e.getMessage());
        }
    }

    private static void positive(String key, Duration value) {
        ConfigException.require(!value.isNegative() && !value.isZero(), key, "must be positive");
    }
}
