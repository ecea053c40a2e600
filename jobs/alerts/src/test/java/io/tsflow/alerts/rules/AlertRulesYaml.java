package io.tsflow.alerts.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tsflow.common.config.ConfigLoader;
import java.io.UncheckedIOException;

/** Alert rules for tests, written as in the configuration file: one YAML flow mapping each. */
public final class AlertRulesYaml {

    private AlertRulesYaml() {}

    /** The rule, validated as at job start. */
    public static AlertRule rule(String yaml) {
        try {
            AlertRule rule = ConfigLoader.mapper().readValue(yaml, AlertRule.class);
            rule.validate("rule");
            return rule;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
