package io.tsflow.alerts.pipeline;

/**
 * A CEP engine match: rule number {@code rule} (among the CEP rules) found its pattern in series
 * {@code seriesKey}, ending with a point of event time {@code lastEventMillis} and value {@code
 * value} (NaN for stale). A Flink POJO.
 */
public class RuleMatch {

    public String seriesKey;
    public int rule;
    public long lastEventMillis;
    public double value;

    public RuleMatch() {}

    public RuleMatch(String seriesKey, int rule, long lastEventMillis, double value) {
        this.seriesKey = seriesKey;
        this.rule = rule;
        this.lastEventMillis = lastEventMillis;
        this.value = value;
    }

    public String getSeriesKey() {
        return seriesKey;
    }
}
