package io.tsflow.derived.rules;

import io.tsflow.common.series.SeriesSelector;
import java.io.Serializable;
import java.util.Map;

/**
 * The series one input of a rule reads: a metric pattern (Java regular expression over the whole
 * name; its capture groups name the derived series, as in {@code application.result.$1}) and tag
 * matchers.
 */
public record InputSelector(String metric, Map<String, String> tags) implements Serializable {

    public SeriesSelector selector() {
        return new SeriesSelector(metric, tags);
    }
}
