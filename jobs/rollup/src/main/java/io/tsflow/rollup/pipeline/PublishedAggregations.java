package io.tsflow.rollup.pipeline;

import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.rollup.rules.SeriesPolicy;
import io.tsflow.schema.Aggregation;
import io.tsflow.schema.NumericStats;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * What leaves the rollup for the topic and the table: every level is computed, since each builds on
 * the one below, but only the intervals a series' rule selects are published, and without the
 * sketch where the rule drops it. The records are copied, never changed in place: with object reuse
 * the next level may still read the same instance.
 */
public class PublishedAggregations implements FlatMapFunction<Aggregation, Aggregation> {

    private static final long serialVersionUID = 1L;

    private final RollupRules rules;

    public PublishedAggregations(RollupRules rules) {
        this.rules = rules;
    }

    @Override
    public void flatMap(Aggregation bucket, Collector<Aggregation> out) {
        SeriesPolicy policy = rules.policyFor(bucket.getMetric(), bucket.getTagset());
        if (!policy.publishes(bucket.getInterval())) {
            return;
        }
        NumericStats numeric = bucket.getNumeric();
        if (policy.publishSketch() || numeric == null || numeric.getSketch() == null) {
            out.collect(bucket);
            return;
        }
        NumericStats withoutSketch = NumericStats.newBuilder(numeric).setSketch(null).build();
        out.collect(Aggregation.newBuilder(bucket).setNumeric(withoutSketch).build());
    }
}
