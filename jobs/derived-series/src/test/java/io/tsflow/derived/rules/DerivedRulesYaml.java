package io.tsflow.derived.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tsflow.common.config.ConfigLoader;
import java.io.UncheckedIOException;

/** Derived-series rules for tests, written as in the configuration file. */
public final class DerivedRulesYaml {

    private DerivedRulesYaml() {}

    /** The rule as parsed, not yet validated. */
    public static DerivedRule parse(String yaml) {
        try {
            return ConfigLoader.mapper().readValue(yaml, DerivedRule.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rule, validated as at job start. */
    public static DerivedRule rule(String yaml) {
        DerivedRule rule = parse(yaml);
        rule.validate("rule");
        return rule;
    }
}
