package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.schema.Alert;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The watching graph. Rules on the keyed-timer engine (the default) share one {@link SeriesWatcher}
 * keyed by series (uid {@code watch-series}). Each rule on the CEP engine gets a filter (uid {@code
 * select-<rule>}) and a Flink CEP operator on processing time (uid {@code cep-<rule>}); their
 * matches meet the points again in one {@link CepAlertTracker} (uid {@code track-cep-matches}). The
 * input must carry event time and watermarks: the watermark is how both engines know the job is
 * keeping up.
 */
public final class AlertsPipeline {

    private AlertsPipeline() {}

    /** The state changes for topic alerts, and the same plus re-sends for Alertmanager. */
    public record Outputs(
            DataStream<Alert> changes,
            DataStream<Alert> deliveries,
            DataStream<Rejected> refused) {}

    public static Outputs define(
            DataStream<Observation> timed, List<AlertRule> rules, WatchTiming timing) {
        return define(timed, rules, timing, Long.MAX_VALUE);
    }

    /** With at most {@code maxSeriesPerRule} series watched per rule by each subtask. */
    public static Outputs define(
            DataStream<Observation> timed,
            List<AlertRule> rules,
            WatchTiming timing,
            long maxSeriesPerRule) {
        List<AlertRule> timerRules = rules.stream().filter(rule -> !rule.cep()).toList();
        List<AlertRule> cepRules = rules.stream().filter(AlertRule::cep).toList();
        DataStream<Alert> changes = null;
        DataStream<Alert> deliveries = null;
        DataStream<Rejected> refused = null;
        if (!timerRules.isEmpty()) {
            SingleOutputStreamOperator<Alert> watched =
                    timed.keyBy(Observation::getSeriesKey)
                            .process(new SeriesWatcher(timerRules, timing, maxSeriesPerRule))
                            .uid("watch-series")
                            .name("watch series (" + timerRules.size() + " rules)");
            changes = watched;
            deliveries = watched.getSideOutput(SeriesWatcher.DELIVERIES);
            refused = watched.getSideOutput(WatchedRules.REFUSED);
        }
        if (!cepRules.isEmpty()) {
            SingleOutputStreamOperator<Alert> tracked =
                    cep(timed, cepRules, timing, maxSeriesPerRule);
            DataStream<Alert> cepDeliveries = tracked.getSideOutput(SeriesWatcher.DELIVERIES);
            changes = changes == null ? tracked : changes.union(tracked);
            deliveries = deliveries == null ? cepDeliveries : deliveries.union(cepDeliveries);
            DataStream<Rejected> cepRefused = tracked.getSideOutput(WatchedRules.REFUSED);
            refused = refused == null ? cepRefused : refused.union(cepRefused);
        }
        if (changes == null) {
            throw new IllegalArgumentException("no alert rules");
        }
        return new Outputs(changes, deliveries, refused);
    }

    private static SingleOutputStreamOperator<Alert> cep(
            DataStream<Observation> timed,
            List<AlertRule> rules,
            WatchTiming timing,
            long maxSeriesPerRule) {
        DataStream<RuleMatch> matches = null;
        for (int i = 0; i < rules.size(); i++) {
            AlertRule rule = rules.get(i);
            DataStream<RuleMatch> found =
                    CEP.pattern(
                                    timed.filter(new Selected(rule.selector()))
                                            .uid("select-" + rule.name())
                                            .name("select " + rule.name())
                                            .keyBy(Observation::getSeriesKey),
                                    CepPatterns.of(rule))
                            .inProcessingTime()
                            .process(new CepPatterns.Matches(i))
                            .uid("cep-" + rule.name())
                            .name("CEP " + rule.name());
            matches = matches == null ? found : matches.union(found);
        }
        return timed.keyBy(Observation::getSeriesKey)
                .connect(matches.keyBy(RuleMatch::getSeriesKey))
                .process(new CepAlertTracker(rules, timing, maxSeriesPerRule))
                .uid("track-cep-matches")
                .name("track CEP matches (" + rules.size() + " rules)");
    }

    /** The points of the series a rule selects. */
    private record Selected(SeriesSelector selector) implements FilterFunction<Observation> {
        @Override
        public boolean filter(Observation point) {
            return selector.matches(point.getMetric(), point.getTagset());
        }
    }
}
