package io.tsflow.derived.expression;

import com.ezylang.evalex.BaseException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.config.ExpressionConfiguration;
import com.ezylang.evalex.functions.FunctionIfc;
import com.ezylang.evalex.functions.basic.AverageFunction;
import com.ezylang.evalex.operators.OperatorIfc;
import com.ezylang.evalex.parser.ParseException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A derived-series rule's expression. The arithmetic is EvalEx's (operators with the usual
 * precedence, comparisons, {@code if}, {@code abs}, {@code min}, {@code max}, {@code round}, {@code
 * log}, ... plus {@code exp}, {@code pow}, {@code clamp}); the names and the series functions are
 * ours: a bare input name is the input's latest value; {@code sum(x)}, {@code avg(x)}, {@code
 * min(x)}, {@code max(x)}, {@code count(x)} aggregate the input's series in the group; {@code
 * rate(x)}, {@code increase(x)}, {@code delta(x)} are counter functions over the lookback. Each
 * series function is replaced by a variable that the evaluator fills ({@link #uses()}).
 *
 * <p>Compiling checks everything at start-up: syntax, unknown functions, names that are not inputs,
 * series functions over something that is not an input; each error names the rule and the position.
 * Evaluation gives NaN for a result that is not a finite number (division by zero, the log of a
 * negative, ...): the step is skipped, never stored.
 */
public final class RuleExpression implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final String SERIES_FUNCTIONS = "sum|avg|min|max|count|rate|increase|delta";
    private static final Pattern SERIES_CALL =
            Pattern.compile(
                    "(?i)(?<![A-Za-z0-9_])("
                            + SERIES_FUNCTIONS
                            + ")\\s*\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");
    private static final Set<String> ONLY_SERIES = Set.of("count", "rate", "increase", "delta");

    // Power binds tighter than a unary minus, as in mathematics: -2^2 is -4 (EvalEx's default: 4).
    private static final ExpressionConfiguration EVALUATION =
            ExpressionConfiguration.builder()
                    .powerOfPrecedence(OperatorIfc.OPERATOR_PRECEDENCE_POWER_HIGHER)
                    .build()
                    .withAdditionalFunctions(
                            Map.entry("EXP", new ExtraFunctions.Exp()),
                            Map.entry("POW", new ExtraFunctions.Pow()),
                            Map.entry("CLAMP", new ExtraFunctions.Clamp()),
                            Map.entry("AVG", (FunctionIfc) new AverageFunction()));
    private static final ExpressionConfiguration SYNTAX =
            EVALUATION.withAdditionalFunctions(
                    Map.entry("COUNT", new ExtraFunctions.SeriesPlaceholder()),
                    Map.entry("RATE", new ExtraFunctions.SeriesPlaceholder()),
                    Map.entry("INCREASE", new ExtraFunctions.SeriesPlaceholder()),
                    Map.entry("DELTA", new ExtraFunctions.SeriesPlaceholder()));

    private final String rule;
    private final String text;
    private final String evaluable;
    private final List<InputUse> uses;
    private transient Expression compiled;

    private RuleExpression(String rule, String text, String evaluable, List<InputUse> uses) {
        this.rule = rule;
        this.text = text;
        this.evaluable = evaluable;
        this.uses = List.copyOf(uses);
    }

    /**
     * Compiles {@code text} for rule {@code rule} whose inputs are {@code inputs}.
     *
     * @throws ExpressionException naming the rule and the position of the first problem
     */
    public static RuleExpression compile(String rule, String text, Set<String> inputs) {
        if (text == null || text.isBlank()) {
            throw new ExpressionException(rule, 1, "is empty");
        }
        try {
            new Expression(text, SYNTAX).validate();
        } catch (ParseException e) {
            throw new ExpressionException(rule, Math.max(1, e.getStartPosition()), e.getMessage());
        }
        Set<InputUse> uses = new LinkedHashSet<>();
        StringBuilder rewritten = new StringBuilder();
        Matcher call = SERIES_CALL.matcher(text);
        while (call.find()) {
            String function = call.group(1);
            String argument = call.group(2);
            if (inputs.contains(argument)) {
                InputUse use = new InputUse(InputUse.Function.named(function), argument);
                uses.add(use);
                call.appendReplacement(rewritten, use.variable());
            } else if (ONLY_SERIES.contains(function.toLowerCase(java.util.Locale.ROOT))) {
                throw new ExpressionException(
                        rule,
                        call.start(2) + 1,
                        function
                                + "(...) takes an input of the rule, and '"
                                + argument
                                + "' is not one (inputs: "
                                + inputs
                                + ")");
            }
        }
        call.appendTail(rewritten);
        Expression expression = new Expression(rewritten.toString(), EVALUATION);
        try {
            expression.validate();
            for (String name : expression.getUsedVariables()) {
                if (name.startsWith("__")) {
                    continue;
                }
                if (!inputs.contains(name)) {
                    throw new ExpressionException(
                            rule,
                            positionOf(text, name),
                            "unknown name '" + name + "' (inputs: " + inputs + ")");
                }
                uses.add(new InputUse(InputUse.Function.LATEST, name));
            }
        } catch (ParseException e) {
            throw new ExpressionException(rule, 1, e.getMessage());
        }
        return new RuleExpression(rule, text, rewritten.toString(), new ArrayList<>(uses));
    }

    /** 1-based position of the first whole-word occurrence of {@code name} in {@code text}. */
    private static int positionOf(String text, String name) {
        Matcher word =
                Pattern.compile(
                                "(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])",
                                Pattern.CASE_INSENSITIVE)
                        .matcher(text);
        return word.find() ? word.start() + 1 : 1;
    }

    public String text() {
        return text;
    }

    /** The values an evaluation needs, each under its {@link InputUse#variable()}. */
    public List<InputUse> uses() {
        return uses;
    }

    /**
     * The expression's value for {@code values} (one per {@link #uses()} variable); NaN when it is
     * not a finite number.
     */
    public double evaluate(Map<String, Double> values) {
        try {
            BigDecimal result = compiled().withValues(values).evaluate().getNumberValue();
            if (result == null) {
                return Double.NaN;
            }
            double value = result.doubleValue();
            return Double.isFinite(value) ? value : Double.NaN;
        } catch (BaseException | RuntimeException e) {
            // Division by zero, the log of a negative, a comparison used as a number, ...
            return Double.NaN;
        }
    }

    private Expression compiled() {
        if (compiled == null) {
            compiled = new Expression(evaluable, EVALUATION);
        }
        return compiled;
    }

    @Override
    public String toString() {
        return rule + ": " + text;
    }
}
