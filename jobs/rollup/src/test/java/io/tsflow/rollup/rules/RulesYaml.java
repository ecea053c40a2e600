package io.tsflow.rollup.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tsflow.common.config.ConfigLoader;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Rules for tests, written as in the configuration file: one YAML flow mapping per rule. */
public final class RulesYaml {

    private RulesYaml() {}

    public static RollupRules rules(String... rules) {
        return new RollupRules(Arrays.stream(rules).map(RulesYaml::rule).toList());
    }

    public static RollupRule rule(String yaml) {
        try {
            return ConfigLoader.mapper().readValue(yaml, RollupRule.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
