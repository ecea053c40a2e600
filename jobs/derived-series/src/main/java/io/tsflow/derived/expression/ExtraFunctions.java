package io.tsflow.derived.expression;

import com.ezylang.evalex.Expression;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.functions.AbstractFunction;
import com.ezylang.evalex.functions.FunctionParameter;
import com.ezylang.evalex.parser.Token;
import java.math.BigDecimal;

/**
 * Functions the expression language has beyond EvalEx's own ({@code abs}, {@code min}, {@code max},
 * {@code round}, {@code log}, {@code sqrt}, {@code floor}, {@code ceiling}, {@code if}, ...):
 * {@code exp}, {@code pow} and {@code clamp}, and the placeholders that let the series functions
 * ({@code rate(x)}, {@code count(x)}, ...) pass the syntax check with their positions.
 */
final class ExtraFunctions {

    private ExtraFunctions() {}

    @FunctionParameter(name = "value")
    static final class Exp extends AbstractFunction {
        @Override
        public EvaluationValue evaluate(
                Expression expression, Token token, EvaluationValue... parameters) {
            return expression.convertDoubleValue(
                    Math.exp(parameters[0].getNumberValue().doubleValue()));
        }
    }

    @FunctionParameter(name = "base")
    @FunctionParameter(name = "exponent")
    static final class Pow extends AbstractFunction {
        @Override
        public EvaluationValue evaluate(
                Expression expression, Token token, EvaluationValue... parameters) {
            return expression.convertDoubleValue(
                    Math.pow(
                            parameters[0].getNumberValue().doubleValue(),
                            parameters[1].getNumberValue().doubleValue()));
        }
    }

    @FunctionParameter(name = "value")
    @FunctionParameter(name = "min")
    @FunctionParameter(name = "max")
    static final class Clamp extends AbstractFunction {
        @Override
        public EvaluationValue evaluate(
                Expression expression, Token token, EvaluationValue... parameters) {
            BigDecimal value = parameters[0].getNumberValue();
            BigDecimal low = parameters[1].getNumberValue();
            BigDecimal high = parameters[2].getNumberValue();
            return EvaluationValue.numberValue(value.max(low).min(high));
        }
    }

    /** Stands for a series function during the syntax check; never evaluated. */
    @FunctionParameter(name = "input")
    static final class SeriesPlaceholder extends AbstractFunction {
        @Override
        public EvaluationValue evaluate(
                Expression expression, Token token, EvaluationValue... parameters) {
            throw new IllegalStateException("series functions are replaced before evaluation");
        }
    }
}
