package io.tsflow.alerts.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.schema.AlertKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One alerting rule: which series it watches ({@code metric} pattern, {@code tags} matchers), what
 * it watches for ({@code kind}: {@code stale}, {@code stuck} or {@code outOfRange} with their
 * thresholds), and how it alerts ({@code for}, {@code keepFiringFor}, {@code severity}, {@code
 * labels}, the {@code summary} and {@code description} templates). See docs/jobs/alerts.md.
 */
public record AlertRule(
        String name,
        String metric,
        Map<String, String> tags,
        String kind,
        Duration staleAfter,
        Integer stuckPoints,
        Duration stuckFor,
        Double min,
        Double max,
        Integer outOfRangePoints,
        @JsonProperty("for") Duration pendingFor,
        Duration keepFiringFor,
        Duration forgetAfter,
        String severity,
        String alertname,
        Map<String, String> labels,
        List<String> copyTags,
        String summary,
        String description,
        String engine)
        implements Serializable {

    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(1);
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> KINDS = Set.of("stale", "stuck", "outOfRange");

    public AlertKind alertKind() {
        return switch (kind) {
            case "stale" -> AlertKind.STALE;
            case "stuck" -> AlertKind.STUCK;
            case "outOfRange" -> AlertKind.OUT_OF_RANGE;
            default -> throw new IllegalStateException("unvalidated kind " + kind);
        };
    }

    /** True for the Flink CEP engine, false for the keyed-timer engine (the default). */
    public boolean cep() {
        return "cep".equals(engine);
    }

    public SeriesSelector selector() {
        return new SeriesSelector(metric, tags);
    }

    /** Pending time before a true condition fires; zero when unset. */
    public long pendingMillis() {
        return pendingFor == null ? 0 : pendingFor.toMillis();
    }

    /** How long a firing alert stays firing after its condition clears; zero when unset. */
    public long keepFiringMillis() {
        return keepFiringFor == null ? 0 : keepFiringFor.toMillis();
    }

    /** Silence after which a series' state is dropped (a firing alert resolves as expired). */
    public long forgetMillis() {
        return (forgetAfter == null ? DEFAULT_FORGET_AFTER : forgetAfter).toMillis();
    }

    public long staleMillis() {
        return staleAfter == null ? 0 : staleAfter.toMillis();
    }

    public long stuckMillis() {
        return stuckFor == null ? 0 : stuckFor.toMillis();
    }

    public int stuckPointCount() {
        return stuckPoints == null ? 0 : stuckPoints;
    }

    public int outOfRangePointCount() {
        return outOfRangePoints == null ? 1 : outOfRangePoints;
    }

    public String severityOrDefault() {
        return severity == null ? "warning" : severity;
    }

    public String alertnameOrDefault() {
        if (alertname != null) {
            return alertname;
        }
        return switch (alertKind()) {
            case STALE -> "SensorStale";
            case STUCK -> "SensorStuck";
            case OUT_OF_RANGE -> "SensorOutOfRange";
            default -> "SensorAlert";
        };
    }

    /** Checks the rule; errors name the key under {@code path}. */
    public void validate(String path) {
        ConfigException.require(
                name != null && !name.isBlank(), Keys.join(path, "name"), "is required");
        selector().validate(path);
        ConfigException.require(
                kind != null && KINDS.contains(kind),
                Keys.join(path, "kind"),
                "must be one of stale, stuck, outOfRange");
        ConfigException.require(
                engine == null || engine.equals("timer") || engine.equals("cep"),
                Keys.join(path, "engine"),
                "must be timer or cep");
        ConfigException.require(
                !cep() || stuckFor == null,
                Keys.join(path, "stuckFor"),
                "needs engine: timer (the CEP engine counts stuck points, not time)");
        switch (kind) {
            case "stale" -> {
                positive(Keys.join(path, "staleAfter"), staleAfter, true);
                unused(path, "stuckPoints", stuckPoints, "stuckFor", stuckFor, "min", min);
                unused(path, "max", max, "outOfRangePoints", outOfRangePoints);
            }
            case "stuck" -> {
                ConfigException.require(
                        stuckPoints != null || stuckFor != null,
                        Keys.join(path, "stuckPoints"),
                        "a stuck rule needs stuckPoints, stuckFor or both");
                ConfigException.require(
                        stuckPoints == null || stuckPoints >= 2,
                        Keys.join(path, "stuckPoints"),
                        "must be at least 2");
                positive(Keys.join(path, "stuckFor"), stuckFor, false);
                unused(path, "staleAfter", staleAfter, "min", min, "max", max);
                unused(path, "outOfRangePoints", outOfRangePoints);
            }
            default -> {
                ConfigException.require(
                        min != null || max != null,
                        Keys.join(path, "min"),
                        "an outOfRange rule needs min, max or both");
                ConfigException.require(
                        min == null || max == null || min <= max,
                        Keys.join(path, "max"),
                        "must not be below min");
                ConfigException.require(
                        outOfRangePoints == null || outOfRangePoints >= 1,
                        Keys.join(path, "outOfRangePoints"),
                        "must be at least 1");
                unused(path, "staleAfter", staleAfter, "stuckPoints", stuckPoints);
                unused(path, "stuckFor", stuckFor);
            }
        }
        notNegative(Keys.join(path, "for"), pendingFor);
        notNegative(Keys.join(path, "keepFiringFor"), keepFiringFor);
        positive(Keys.join(path, "forgetAfter"), forgetAfter, false);
        ConfigException.require(
                forgetMillis() > staleMillis() + pendingMillis() + keepFiringMillis(),
                Keys.join(path, "forgetAfter"),
                "must be longer than staleAfter + for + keepFiringFor");
        if (labels != null) {
            labels.forEach(
                    (label, value) ->
                            ConfigException.require(
                                    LABEL_NAME.matcher(label).matches() && value != null,
                                    Keys.join(path, "labels." + label),
                                    "needs a name matching [A-Za-z_][A-Za-z0-9_]* and a value"));
        }
    }

    private static void positive(String key, Duration value, boolean required) {
        ConfigException.require(!required || value != null, key, "is required for this kind");
        ConfigException.require(
                value == null || (!value.isNegative() && !value.isZero()), key, "must be positive");
    }

    private static void notNegative(String key, Duration value) {
        ConfigException.require(value == null || !value.isNegative(), key, "must not be negative");
    }

    /** Fails on the first of the (name, value) pairs that is set: it means nothing here. */
    private void unused(String path, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            ConfigException.require(
                    namesAndValues[i + 1] == null,
                    Keys.join(path, (String) namesAndValues[i]),
                    "has no meaning for a " + kind + " rule");
        }
    }
}
