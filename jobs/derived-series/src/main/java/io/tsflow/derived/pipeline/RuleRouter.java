package io.tsflow.derived.pipeline;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.common.types.NumericValue;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.derived.rules.InputSelector;
import io.tsflow.schema.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Sends each numeric point to every (rule, input) that selects it, naming the derived series it
 * feeds: the rule's metric with the input's metric captures, the rule's tags and the point's values
 * of the rule's {@code by} tags. A point lacking one of those tags feeds no series of that rule. A
 * rule never reads its own output.
 */
public class RuleRouter extends RichFlatMapFunction<Observation, RuleInput> {

    private static final long serialVersionUID = 1L;

    private final List<DerivedRule> rules;
    private transient List<List<Map.Entry<String, SeriesSelector>>> selectors;
    private transient Counter withoutGroupTag;

    public RuleRouter(List<DerivedRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext openContext) {
        selectors = new ArrayList<>();
        for (DerivedRule rule : rules) {
            List<Map.Entry<String, SeriesSelector>> inputs = new ArrayList<>();
            for (Map.Entry<String, InputSelector> input : rule.inputs().entrySet()) {
                inputs.add(Map.entry(input.getKey(), input.getValue().selector()));
            }
            selectors.add(inputs);
        }
        withoutGroupTag =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("tsflow")
                        .counter("inputsWithoutGroupTag");
    }

    @Override
    public void flatMap(Observation point, Collector<RuleInput> out) {
        double value = NumericValue.of(point.getValue());
        if (Double.isNaN(value)) {
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            DerivedRule rule = rules.get(i);
            if (rule.name().equals(point.getDerivedBy())) {
                continue; // never its own output
            }
            for (Map.Entry<String, SeriesSelector> input : selectors.get(i)) {
                List<String> captures =
                        input.getValue().captures(point.getMetric(), point.getTagset());
                if (captures == null) {
                    continue;
                }
                String target = target(rule, captures, point.getTagset());
                if (target == null) {
                    withoutGroupTag.inc();
                    continue;
                }
                out.collect(
                        new RuleInput(
                                i,
                                target,
                                input.getKey(),
                                point.getSeriesKey(),
                                point.getTimestampMicros() / 1000,
                                value));
            }
        }
    }

    private static String target(
            DerivedRule rule, List<String> captures, Map<String, String> tags) {
        TreeMap<String, String> targetTags = new TreeMap<>(rule.tagsOrNone());
        for (String tag : rule.byOrNone()) {
            String value = tags.get(tag);
            if (value == null) {
                return null;
            }
            targetTags.put(tag, value);
        }
        return SeriesKey.of(rule.metricFor(captures), targetTags);
    }
}
