package io.tsflow.rollup.storage;

import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.schema.Aggregation;
import io.tsflow.storage.rollup.BucketRetention;
import java.time.Duration;
import java.util.Map;

/** A bucket is kept as long as its series' rule says for the interval, or else its level. */
public final class RuleRetention implements BucketRetention {

    private static final long serialVersionUID = 1L;

    private final Map<String, Duration> retentionByInterval;
    private final RollupRules rules;

    /**
     * @param retentionByInterval each level's retention (0: forever), which a series' rule may
     *     override
     */
    public RuleRetention(Map<String, Duration> retentionByInterval, RollupRules rules) {
        this.retentionByInterval = Map.copyOf(retentionByInterval);
        this.rules = rules;
    }

    @Override
    public Duration of(Aggregation bucket) {
        return rules.policyFor(bucket.getMetric(), bucket.getTagset())
                .retentionOf(
                        bucket.getInterval(),
                        retentionByInterval.getOrDefault(bucket.getInterval(), Duration.ZERO));
    }
}
