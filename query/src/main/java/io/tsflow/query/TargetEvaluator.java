package io.tsflow.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates a render target: each {@code seriesByTag} is fetched (level chosen as {@link
 * QueryService} says), and the functions around it applied. Arguments are checked: a wrong one is a
 * {@link BadQueryException} naming the function.
 */
final class TargetEvaluator {

    /** Fetches the series of one {@code seriesByTag}. */
    interface Fetch {
        List<RenderedSeries> series(List<TagMatcher> matchers);
    }

    private final Fetch fetch;

    TargetEvaluator(Fetch fetch) {
        this.fetch = fetch;
    }

    List<RenderedSeries> evaluate(String target) {
        return series(TargetParser.parse(target));
    }

    private List<RenderedSeries> series(TargetExpression expression) {
        if (!(expression instanceof TargetExpression.Call call)) {
            throw new BadQueryException(
                    "expected series (seriesByTag(...) or a function of it), found " + expression);
        }
        List<TargetExpression> args = call.arguments();
        String name = call.name();
        switch (name) {
            case "seriesByTag" -> {
                return fetch.series(terms(call));
            }
            case "aliasByTags" -> {
                return SeriesFunctions.aliasByTags(first(call), texts(call, 1));
            }
            case "alias" -> {
                return SeriesFunctions.alias(first(call), text(call, 1));
            }
            case "sumSeries", "averageSeries", "avgSeries", "minSeries", "maxSeries" -> {
                List<RenderedSeries> all = new ArrayList<>();
                for (TargetExpression argument : args) {
                    all.addAll(series(argument));
                }
                return SeriesFunctions.combine(all, name, call.toString());
            }
            case "groupByTags" -> {
                if (texts(call, 2).isEmpty()) {
                    throw new BadQueryException("groupByTags needs at least one tag");
                }
                return SeriesFunctions.groupByTags(first(call), text(call, 1), texts(call, 2));
            }
            case "scale" -> {
                return SeriesFunctions.scale(first(call), number(call, 1));
            }
            case "perSecond" -> {
                return SeriesFunctions.perSecond(first(call), optionalNumber(call, 1));
            }
            case "nonNegativeDerivative" -> {
                return SeriesFunctions.nonNegativeDerivative(first(call), optionalNumber(call, 1));
            }
            case "keepLastValue" -> {
                double limit = optionalNumber(call, 1);
                return SeriesFunctions.keepLastValue(
                        first(call), Double.isNaN(limit) ? Integer.MAX_VALUE : (int) limit);
            }
            case "summarize" -> {
                String aggregator = args.size() > 2 ? text(call, 2) : "sum";
                return SeriesFunctions.summarize(first(call), text(call, 1), aggregator);
            }
            case "movingAverage" -> {
                return SeriesFunctions.movingAverage(first(call), textOrWord(call, 1));
            }
            default ->
                    throw new BadQueryException(
                            "unknown function '"
                                    + name
                                    + "': seriesByTag, aliasByTags, alias, sumSeries,"
                                    + " averageSeries, minSeries, maxSeries, groupByTags, scale,"
                                    + " perSecond, nonNegativeDerivative, keepLastValue, summarize,"
                                    + " movingAverage");
        }
    }

    /**
     * The terms of a target that is one {@code seriesByTag(...)} and nothing else (an export, which
     * cannot hold whole series for functions).
     */
    static List<TagMatcher> seriesByTagOnly(String target) {
        if (TargetParser.parse(target) instanceof TargetExpression.Call call
                && call.name().equals("seriesByTag")) {
            return terms(call);
        }
        throw new BadQueryException(
                "expected a plain seriesByTag(...) target: functions need whole series in memory");
    }

    private static List<TagMatcher> terms(TargetExpression.Call call) {
        List<TagMatcher> matchers = new ArrayList<>();
        for (int i = 0; i < call.arguments().size(); i++) {
            matchers.add(TagMatcher.parse(text(call, i)));
        }
        if (matchers.isEmpty()) {
            throw new BadQueryException("seriesByTag needs at least one term");
        }
        return matchers;
    }

    private List<RenderedSeries> first(TargetExpression.Call call) {
        if (call.arguments().isEmpty()) {
            throw new BadQueryException(call.name() + " needs a series argument");
        }
        return series(call.arguments().get(0));
    }

    private static TargetExpression argument(TargetExpression.Call call, int index) {
        if (index >= call.arguments().size()) {
            throw new BadQueryException(call.name() + ": argument " + (index + 1) + " is missing");
        }
        return call.arguments().get(index);
    }

    private static String text(TargetExpression.Call call, int index) {
        if (argument(call, index) instanceof TargetExpression.Text text) {
            return text.value();
        }
        throw new BadQueryException(
                call.name() + ": argument " + (index + 1) + " must be a quoted string");
    }

    private static List<String> texts(TargetExpression.Call call, int from) {
        List<String> texts = new ArrayList<>();
        for (int i = from; i < call.arguments().size(); i++) {
            texts.add(text(call, i));
        }
        return texts;
    }

    private static String textOrWord(TargetExpression.Call call, int index) {
        TargetExpression argument = argument(call, index);
        if (argument instanceof TargetExpression.Text text) {
            return text.value();
        }
        return ((TargetExpression.Word) wordOf(call, index, argument)).value();
    }

    private static double number(TargetExpression.Call call, int index) {
        TargetExpression argument = wordOf(call, index, argument(call, index));
        try {
            return Double.parseDouble(((TargetExpression.Word) argument).value());
        } catch (NumberFormatException e) {
            throw new BadQueryException(
                    call.name() + ": argument " + (index + 1) + " must be a number");
        }
    }

    /** NaN when absent or None. */
    private static double optionalNumber(TargetExpression.Call call, int index) {
        if (index >= call.arguments().size()
                || call.arguments().get(index).toString().toLowerCase(Locale.ROOT).equals("none")) {
            return Double.NaN;
        }
        return number(call, index);
    }

    private static TargetExpression wordOf(
            TargetExpression.Call call, int index, TargetExpression argument) {
        if (argument instanceof TargetExpression.Word) {
            return argument;
        }
        throw new BadQueryException(
                call.name() + ": argument " + (index + 1) + " must be a number, not " + argument);
    }
}
