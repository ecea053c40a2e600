package io.tsflow.derived.pipeline;

/**
 * A point routed to one rule and one derived series: rule number {@code rule}, the derived series'
 * key {@code target} (metric from the inputs' captures, tags from the rule and its {@code by}
 * values), the input it feeds and the series it comes from. A Flink POJO.
 */
public class RuleInput {

    public int rule;
    public String target;
    public String input;
    public String seriesKey;
    public long eventMillis;
    public double value;

    public RuleInput() {}

    public RuleInput(
            int rule,
            String target,
            String input,
            String seriesKey,
            long eventMillis,
            double value) {
        this.rule = rule;
        this.target = target;
        this.input = input;
        this.seriesKey = seriesKey;
        this.eventMillis = eventMillis;
        this.value = value;
    }

    @Override
    public String toString() {
        return "{\"rule\":"
                + rule
                + ",\"target\":\""
                + target
                + "\",\"input\":\""
                + input
                + "\",\"seriesKey\":\""
                + seriesKey
                + "\",\"eventMillis\":"
                + eventMillis
                + ",\"value\":"
                + value
                + "}";
    }

    /** The aligner's key: one derived series of one rule. */
    public String ruleAndTarget() {
        return rule + "|" + target;
    }
}
