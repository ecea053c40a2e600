package io.tsflow.rollup.rules;

import io.tsflow.common.series.SeriesSelector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules in order: the first that matches a series decides its policy; none matching gives the
 * default. Patterns are compiled once per instance (each parallel task has its own), not per
 * lookup: the aggregators look a policy up for every point.
 */
public final class RollupRules implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<RollupRule> rules;
    private transient List<CompiledRule> compiled;
    private transient SeriesPolicy sharedPolicy;
    private transient boolean sharedPolicyKnown;

    public RollupRules(List<RollupRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<RollupRule> rules() {
        return rules;
    }

    /**
     * The policy of every series when it does not depend on the series: no rules, or a first rule
     * that selects every series and takes no zone from a tag. Null when it does: then the caller
     * needs the series' metric and tags, which the rollup decodes only for that.
     */
    public SeriesPolicy sharedPolicy() {
        if (!sharedPolicyKnown) {
            CompiledRule first = rules.isEmpty() ? null : compiled().get(0);
            if (first == null) {
                sharedPolicy = SeriesPolicy.DEFAULT;
            } else if (first.selector.selectsEverySeries() && first.rule.zoneTag() == null) {
                sharedPolicy = first.policyFor(Map.of());
            }
            sharedPolicyKnown = true;
        }
        return sharedPolicy;
    }

    public SeriesPolicy policyFor(String metric, Map<String, String> tags) {
        for (CompiledRule rule : compiled()) {
            if (rule.matches(metric, tags)) {
                return rule.policyFor(tags);
            }
        }
        return SeriesPolicy.DEFAULT;
    }

    private List<CompiledRule> compiled() {
        if (compiled == null) {
            List<CompiledRule> all = new ArrayList<>();
            for (RollupRule rule : rules) {
                all.add(new CompiledRule(rule));
            }
            compiled = all;
        }
        return compiled;
    }

    private static final int MAX_CACHED_ZONE_VALUES = 1_000;

    /** A rule with its patterns compiled. */
    private static final class CompiledRule {
        private final RollupRule rule;
        private final SeriesSelector selector;
        private final Map<String, SeriesPolicy> byZoneTag = new HashMap<>();
        private SeriesPolicy untagged;

        CompiledRule(RollupRule rule) {
            this.rule = rule;
            this.selector = rule.selector();
        }

        boolean matches(String metricName, Map<String, String> seriesTags) {
            return selector.matches(metricName, seriesTags);
        }

        /**
         * The rule's policy: one object per zone the rule can give (its own, or each value of its
         * zone tag), built once, since a policy is asked for every point.
         */
        SeriesPolicy policyFor(Map<String, String> seriesTags) {
            String zoneValue = rule.zoneTag() == null ? null : seriesTags.get(rule.zoneTag());
            if (zoneValue == null) {
                if (untagged == null) {
                    untagged = rule.policyFor(Map.of());
                }
                return untagged;
            }
            SeriesPolicy policy = byZoneTag.get(zoneValue);
            if (policy == null) {
                policy = rule.policyFor(seriesTags);
                // Tag values come from gateways: remember a bounded number of them.
                if (byZoneTag.size() < MAX_CACHED_ZONE_VALUES) {
                    byZoneTag.put(zoneValue, policy);
                }
            }
            return policy;
        }
    }
}
