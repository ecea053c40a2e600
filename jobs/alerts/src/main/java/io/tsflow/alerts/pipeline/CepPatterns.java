package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.types.NumericValue;
import io.tsflow.schema.Observation;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;

/**
 * The Flink CEP patterns of the CEP engine, one per rule kind, and the function that turns their
 * matches into {@link RuleMatch}es.
 *
 * <ul>
 *   <li>stale: a point not followed by another within {@code staleAfter} ({@code
 *       notFollowedBy(..).within(..)}, run on processing time);
 *   <li>stuck: {@code stuckPoints} consecutive points, each equal to the one before;
 *   <li>outOfRange: {@code outOfRangePoints} consecutive points outside the range.
 * </ul>
 *
 * Stuck and out-of-range matches skip past their last point, so a run reports once per {@code N}
 * points rather than once per point.
 */
public final class CepPatterns {

    static final String LAST = "last";
    static final String RUN = "run";

    private CepPatterns() {}

    public static Pattern<Observation, ?> of(AlertRule rule) {
        return switch (rule.alertKind()) {
            case STALE ->
                    Pattern.<Observation>begin(LAST)
                            .notFollowedBy("next")
                            .within(rule.staleAfter());
            case STUCK ->
                    Pattern.<Observation>begin(RUN, AfterMatchSkipStrategy.skipPastLastEvent())
                            .where(new EqualToThePrevious())
                            .times(rule.stuckPointCount())
                            .consecutive();
            default ->
                    Pattern.<Observation>begin(RUN, AfterMatchSkipStrategy.skipPastLastEvent())
                            .where(SimpleCondition.of(new OutsideRange(rule.min(), rule.max())))
                            .times(rule.outOfRangePointCount())
                            .consecutive();
        };
    }

    /** A number equal to the run's latest point (any number starts a run). */
    static final class EqualToThePrevious extends IterativeCondition<Observation> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Observation point, Context<Observation> context) throws Exception {
            double value = NumericValue.of(point.getValue());
            if (Double.isNaN(value)) {
                return false;
            }
            Observation previous = null;
            for (Observation earlier : context.getEventsForPattern(RUN)) {
                previous = earlier;
            }
            return previous == null || NumericValue.of(previous.getValue()) == value;
        }
    }

    /** A number below {@code min} or above {@code max}. */
    record OutsideRange(Double min, Double max)
            implements org.apache.flink.api.common.functions.FilterFunction<Observation> {
        @Override
        public boolean filter(Observation point) {
            double value = NumericValue.of(point.getValue());
            return !Double.isNaN(value)
                    && ((min != null && value < min) || (max != null && value > max));
        }
    }

    /** Turns a match of CEP rule number {@code rule} into a {@link RuleMatch}. */
    public static final class Matches extends PatternProcessFunction<Observation, RuleMatch> {
        private static final long serialVersionUID = 1L;
        private final int rule;

        public Matches(int rule) {
            this.rule = rule;
        }

        @Override
        public void processMatch(
                Map<String, List<Observation>> match, Context context, Collector<RuleMatch> out) {
            List<Observation> points = match.containsKey(LAST) ? match.get(LAST) : match.get(RUN);
            Observation last = points.get(points.size() - 1);
            out.collect(
                    new RuleMatch(
                            last.getSeriesKey(),
                            rule,
                            last.getTimestampMicros() / 1000,
                            NumericValue.of(last.getValue())));
        }
    }
}
