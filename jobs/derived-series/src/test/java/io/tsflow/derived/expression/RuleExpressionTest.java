package io.tsflow.derived.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.apache.commons.lang3.SerializationUtils;
import org.junit.jupiter.api.Test;

class RuleExpressionTest {

    private static final Set<String> POWER_INPUTS = Set.of("voltage", "current");

    private static double eval(String text, Map<String, Double> values) {
        return RuleExpression.compile("r", text, values.keySet()).evaluate(values);
    }

    @Test
    void arithmeticFollowsTheUsualPrecedence() {
        Map<String, Double> v = Map.of("a", 2.0, "b", 3.0, "c", 4.0);
        assertThat(eval("a + b * c", v)).isEqualTo(14.0);
        assertThat(eval("(a + b) * c", v)).isEqualTo(20.0);
        assertThat(eval("a - b - c", v)).isEqualTo(-5.0);
        assertThat(eval("c / a / a", v)).isEqualTo(1.0);
        assertThat(eval("-a ^ 2", v)).isEqualTo(-4.0);
        assertThat(eval("a ^ b ^ 2", v)).isEqualTo(512.0);
        assertThat(eval("a * 9 / 5 + 32", Map.of("a", 100.0))).isEqualTo(212.0);
    }

    @Test
    void comparisonsAndConditionsAndFunctions() {
        Map<String, Double> v = Map.of("t", -3.5, "u", 10.0);
        assertThat(eval("if(t < 0, 0, t)", v)).isEqualTo(0.0);
        assertThat(eval("abs(t) + max(t, u) + min(t, u)", v)).isEqualTo(10.0);
        assertThat(eval("clamp(u, 0, 5) + clamp(t, 0, 5)", v)).isEqualTo(5.0);
        assertThat(eval("round(u / 3, 2)", v)).isEqualTo(3.33);
        assertThat(eval("pow(u, 2) + exp(0) + log(1)", v)).isEqualTo(101.0);
        assertThat(eval("u > t", v)).isEqualTo(1.0);
    }

    @Test
    void aResultThatIsNotAFiniteNumberIsNaNNotAnError() {
        Map<String, Double> v = Map.of("a", 1.0, "zero", 0.0, "neg", -1.0);
        assertThat(eval("a / zero", v)).isNaN();
        assertThat(eval("log(neg)", v)).isNaN();
        assertThat(eval("sqrt(neg)", v)).isNaN();
        assertThat(eval("pow(zero, neg)", v)).isNaN();
        assertThat(eval("exp(1000)", v)).isNaN();
    }

    @Test
    void seriesFunctionsBecomeVariablesAndBareNamesTheLatestValue() {
        RuleExpression expression =
                RuleExpression.compile(
                        "power", "sum(current) * voltage + rate(current) * 0", POWER_INPUTS);
        assertThat(expression.uses())
                .containsExactly(
                        new InputUse(InputUse.Function.SUM, "current"),
                        new InputUse(InputUse.Function.RATE, "current"),
                        new InputUse(InputUse.Function.LATEST, "voltage"));
        assertThat(
                        expression.evaluate(
                                Map.of(
                                        "__sum_current",
                                        2.5,
                                        "__rate_current",
                                        7.0,
                                        "voltage",
                                        230.0)))
                .isEqualTo(575.0);
        // Numbers keep the arithmetic meaning of min and max.
        assertThat(RuleExpression.compile("r", "max(voltage, 0)", POWER_INPUTS).uses())
                .containsExactly(new InputUse(InputUse.Function.LATEST, "voltage"));
    }

    @Test
    void errorsNameTheRuleAndThePosition() {
        assertThatThrownBy(() -> RuleExpression.compile("power", "voltage * curent", POWER_INPUTS))
                .isInstanceOf(ExpressionException.class)
                .hasMessageStartingWith(
                        "rule power: expression at position 11: unknown name 'curent'");
        assertThatThrownBy(
                        () -> RuleExpression.compile("power", "voltage * (current", POWER_INPUTS))
                .isInstanceOf(ExpressionException.class)
                .hasMessageStartingWith("rule power: expression at position");
        assertThatThrownBy(() -> RuleExpression.compile("power", "median(voltage)", POWER_INPUTS))
                .hasMessageContaining("position 1")
                .hasMessageContaining("median");
        assertThatThrownBy(() -> RuleExpression.compile("power", "rate(power)", POWER_INPUTS))
                .hasMessageStartingWith(
                        "rule power: expression at position 6: rate(...) takes an input of the"
                                + " rule");
        assertThatThrownBy(() -> RuleExpression.compile("power", " ", POWER_INPUTS))
                .hasMessageContaining("is empty");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() {
        RuleExpression expression = RuleExpression.compile("r", "voltage * current", POWER_INPUTS);
        RuleExpression copy = SerializationUtils.roundtrip(expression);
        assertThat(copy.evaluate(Map.of("voltage", 2.0, "current", 3.0))).isEqualTo(6.0);
    }
}
