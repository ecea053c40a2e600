package io.tsflow.rollup.rules;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The rules in order: the first that matches a series decides its policy; none matching gives the
 * default.
 */
public record RollupRules(List<RollupRule> rules) implements Serializable {

    public SeriesPolicy policyFor(String metric, Map<String, String> tags) {
        for (RollupRule rule : rules) {
            if (rule.matches(metric, tags)) {
                return rule.policyFor(tags);
            }
        }
        return SeriesPolicy.DEFAULT;
    }
}
