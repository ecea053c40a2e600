package io.tsflow.derived.rules;

import static io.tsflow.derived.rules.DerivedRulesYaml.parse;
import static io.tsflow.derived.rules.DerivedRulesYaml.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DerivedRuleTest {

    private static final String POWER =
            "{name: power, metric: site.power, by: [site], inputs: {voltage: {metric:"
                    + " site\\.voltage}, current: {metric: site\\.current}}, expression: 'voltage *"
                    + " current'}";

    private static String withKey(String entry) {
        return POWER.substring(0, POWER.length() - 1) + ", " + entry + "}";
    }

    @Test
    void aValidRuleHasDefaults() {
        DerivedRule power = rule(POWER);
        assertThat(power.stepOrDefault()).hasSeconds(10);
        assertThat(power.lookbackOrDefault()).hasSeconds(60);
        assertThat(power.fillPolicy()).isEqualTo(FillPolicy.SKIP);
        assertThat(power.compiledExpression().uses()).hasSize(2);
    }

    @Test
    void groupingTagsMustBeValidTagKeys() {
        for (String tag : List.of("'9site'", "'site name'", "'-x'")) {
            assertThatThrownBy(
                            () ->
                                    parse(POWER.replace("by: [site]", "by: [" + tag + "]"))
                                            .validate("r"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("r.by:")
                    .hasMessageContaining("is not a tag name");
        }
        parse(POWER.replace("by: [site]", "by: [_site.zone-1]")).validate("r");
    }

    @Test
    void captureReferencesNameTheDerivedMetric() {
        DerivedRule results =
                rule(
                        "{name: results, metric: 'application.result.$1', inputs: {status: {metric:"
                                + " 'application\\.http\\.status\\.(\\d+)'}}, expression:"
                                + " 'sum(status)'}");
        assertThat(results.metricFor(List.of("404"))).isEqualTo("application.result.404");
    }

    @Test
    void errorsNameTheKeyAndForExpressionsThePosition() {
        assertThatThrownBy(
                        () ->
                                parse(POWER.replace("voltage * current", "voltage * curent"))
                                        .validate("rules[3]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "rules[3].expression: rule power: expression at position 11: unknown name"
                                + " 'curent'");
        assertThatThrownBy(
                        () ->
                                parse(POWER.replace("metric: site.power", "metric: 'x.$1'"))
                                        .validate("r"))
                .hasMessageContaining("r.metric: $1 refers to no capture group");
        assertThatThrownBy(
                        () ->
                                parse(
                                                POWER.replace("voltage:", "sum:")
                                                        .replace("voltage *", "sum *"))
                                        .validate("r"))
                .hasMessageContaining("r.inputs.sum: input names are lower-case identifiers");
        assertThatThrownBy(() -> parse(withKey("fill: nearest")).validate("r"))
                .hasMessageContaining("r.fill: must be skip, zero or previous");
        assertThatThrownBy(() -> parse(withKey("step: 0s")).validate("r"))
                .hasMessageContaining("r.step: must be positive");
    }

    @Test
    void cyclesAreRefusedWithTheirPath() {
        DerivedRule energy =
                rule(
                        "{name: energy, metric: site.energy, by: [site], inputs: {p: {metric:"
                                + " site\\.power}}, expression: 'p / 360'}");
        DerivedRule power =
                rule(
                        "{name: power, metric: site.power, by: [site], inputs: {e: {metric:"
                                + " site\\.energy, tags: {site: 'hq'}}}, expression: 'e * 360'}");
        DerivedRule unrelated =
                rule(
                        "{name: fahrenheit, metric: room.temp_f, inputs: {c: {metric:"
                                + " room\\.temp}}, expression: 'c * 9 / 5 + 32'}");
        assertThat(DependencyCheck.dependencies(List.of(energy, unrelated)).get("energy"))
                .isEmpty();
        DependencyCheck.refuseCycles(List.of(energy, unrelated, rule(POWER)));
        assertThatThrownBy(() -> DependencyCheck.refuseCycles(List.of(unrelated, energy, power)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rules: derived series form a cycle: energy -> power -> energy");
    }
}
