package io.tsflow.rollup.pipeline;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The rollup graph over a stream of observations: one keyed step computes every level of each
 * series on the series' own clock ({@link SeriesRollup}; no watermark is needed, only the end of a
 * bounded input), a chained step keeps what each series' rule publishes. The published buckets,
 * revisions included, come out as one stream; points too late for the finest level come out as
 * another, and points refused (dead letters) as a third.
 *
 * <p>Points are gathered into runs per series before the shuffle ({@link PointRunBundler}, no
 * state).
 *
 * <p>Operator uids: {@code rollup-runs}, {@code rollup-levels}, {@code rollup-publish}.
 */
public final class RollupPipeline {

    /** The outputs of the graph. */
    public record Outputs(
            DataStream<Aggregation> aggregations,
            DataStream<Observation> tooLate,
            DataStream<Rejected> refused) {}

    private RollupPipeline() {}

    /**
     * Whether every bucket of {@code upper} is a whole number of {@code lower} buckets in every
     * zone.
     */
    static boolean nests(Interval upper, Interval lower) {
        boolean lowerDividesAnHour = lower.isFixed() && 3600 % lower.fixedLength().toSeconds() == 0;
        return switch (upper.unit()) {
            case SECOND, MINUTE, HOUR ->
                    lower.isFixed()
                            && upper.fixedLength().toSeconds() % lower.fixedLength().toSeconds()
                                    == 0;
            case DAY -> lowerDividesAnHour;
            case WEEK, MONTH -> lowerDividesAnHour || lower.unit() == Interval.Unit.DAY;
        };
    }

    /** Each level must nest in the one below it, be longer, and allow at least its lateness. */
    public static void checkLevels(List<RollupLevel> levels) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a rollup needs at least one interval");
        }
        for (int i = 1; i < levels.size(); i++) {
            RollupLevel lower = levels.get(i - 1);
            RollupLevel upper = levels.get(i);
            if (!nests(upper.interval(), lower.interval())) {
                throw new IllegalArgumentException(
                        "interval "
                                + upper.interval()
                                + " cannot be built from "
                                + lower.interval()
                                + ": fixed intervals need a multiple of the level below; days,"
                                + " weeks and months need days or an interval that divides an hour"
                                + " below them");
            }
            if (upper.interval().compareTo(lower.interval()) <= 0
                    || upper.allowedLateness().compareTo(lower.allowedLateness()) < 0) {
                throw new IllegalArgumentException(
                        "interval "
                                + upper.interval()
                                + " must be longer than "
                                + lower.interval()
                                + " and allow at least its lateness ("
                                + lower.allowedLateness()
                                + ")");
            }
        }
    }

    public static Outputs define(
            DataStream<Observation> observations,
            List<RollupLevel> levels,
            RollupRules rules,
            SeriesTiming timing) {
        return define(observations, levels, rules, timing, Long.MAX_VALUE, MiniBatch.DEFAULT);
    }

    /**
     * With at most {@code maxSeriesPerSubtask} series held by each subtask, and the points gathered
     * into runs before the shuffle by {@code miniBatch}.
     */
    public static Outputs define(
            DataStream<Observation> observations,
            List<RollupLevel> levels,
            RollupRules rules,
            SeriesTiming timing,
            long maxSeriesPerSubtask,
            MiniBatch miniBatch) {
        SingleOutputStreamOperator<Aggregation> buckets =
                observations
                        .transform(
                                "runs per series",
                                TypeInformation.of(PointRun.class),
                                new PointRunBundler(miniBatch))
                        .uid("rollup-runs")
                        .setParallelism(observations.getParallelism())
                        .keyBy(PointRun::seriesKey)
                        .transform(
                                "rollup",
                                TypeInformation.of(Aggregation.class),
                                new SeriesRollup(levels, rules, timing, maxSeriesPerSubtask)
                                        .operator())
                        .uid("rollup-levels")
                        .name("rollup " + levelNames(levels));
        DataStream<Aggregation> published =
                buckets.flatMap(new PublishedAggregations(rules))
                        .uid("rollup-publish")
                        .name("publish per rule");
        return new Outputs(
                published,
                buckets.getSideOutput(SeriesRollup.TOO_LATE),
                buckets.getSideOutput(SeriesRollup.REFUSED));
    }

    private static String levelNames(List<RollupLevel> levels) {
        return levels.stream()
                .map(level -> level.interval().name())
                .collect(Collectors.joining(", "));
    }
}
