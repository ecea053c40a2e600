package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.aggregate.BucketAggregate;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.rollup.time.Interval;
import io.tsflow.schema.Aggregation;
import java.time.Duration;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * A higher level of a rollup (1h from 1m, 1d from 1h, ...): merges the buckets of the level below
 * in time order, never raw points. A newer revision of a lower bucket replaces the older one. Its
 * allowed lateness must cover the lower level's (a revision of a lower bucket arrives up to that
 * late).
 */
public class LevelMerger extends BucketedAggregator<Aggregation, Aggregation> {

    private static final long serialVersionUID = 1L;

    private final OutputTag<Aggregation> tooLate;

    public LevelMerger(Interval interval, Duration allowedLateness, RollupRules rules) {
        super(
                interval,
                allowedLateness,
                rules,
                TypeInformation.of(Aggregation.class),
                TypeInformation.of(Aggregation.class));
        this.tooLate = new OutputTag<>("too-late-" + interval.name()) {};
    }

    @Override
    protected long slotOf(Aggregation lower) {
        return lower.getBucketStartMicros();
    }

    @Override
    protected SeriesRef seriesOf(Aggregation lower) {
        return SeriesRef.of(lower);
    }

    @Override
    protected Aggregation stored(Aggregation lower) {
        return lower;
    }

    @Override
    protected BucketAggregate aggregate(
            SeriesRef series, SeriesPolicy policy, TreeMap<Long, Aggregation> lowers) {
        BucketAggregate merged = BucketAggregate.empty(series.type(), policy.counterMode());
        for (Aggregation lower : lowers.values()) {
            merged.mergeAfter(AggregationRecords.fromRecord(lower, policy.counterMode()));
        }
        return merged;
    }

    @Override
    protected OutputTag<Aggregation> tooLate() {
        return tooLate;
    }
}
