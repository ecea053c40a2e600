package io.tsflow.derived.pipeline;

import io.tsflow.common.series.SeriesKey;
import io.tsflow.common.series.SeriesSelector;
import io.tsflow.common.types.NumericValue;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.derived.rules.InputSelector;
import io.tsflow.schema.Observation;
import java.util.ArrayList;
import java.util.HashMap;
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

    private static final int MAX_CACHED_METRICS = 100_000;

    private final List<DerivedRule> rules;
    private transient List<List<Map.Entry<String, SeriesSelector>>> selectors;
    private transient Map<String, List<Route>> routesByMetric;
    private transient Counter withoutGroupTag;

    /** A (rule, input) that a metric name feeds, with the name's captures and the tag matchers. */
    private record Route(int rule, String input, SeriesSelector selector, List<String> captures) {}

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
        routesByMetric = new HashMap<>();
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
        for (Route route : routes(point.getMetric())) {
            DerivedRule rule = rules.get(route.rule());
            // A rule never reads its own output.
            if (rule.name().equals(point.getDerivedBy())
                    || !route.selector().matchesTags(point.getTagset())) {
                continue;
            }
            String target = target(rule, route.captures(), point.getTagset());
            if (target == null) {
                withoutGroupTag.inc();
                continue;
            }
            out.collect(
                    new RuleInput(
                            route.rule(),
                            target,
                            route.input(),
                            point.getSeriesKey(),
                            point.getTimestampMicros() / 1000,
                            value));
        }
    }

    private List<Route> routes(String metric) {
        List<Route> routes = routesByMetric.get(metric);
        if (routes == null) {
            routes = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                for (Map.Entry<String, SeriesSelector> input : selectors.get(i)) {
                    SeriesSelector selector = input.getValue();
                    if (selector.matchesMetric(metric)) {
                        routes.add(
                                new Route(i, input.getKey(), selector, selector.captures(metric)));
                    }
                }
            }
            if (routesByMetric.size() >= MAX_CACHED_METRICS) {
                routesByMetric.clear(); // metric names come from gateways: bound what is kept
            }
            routesByMetric.put(metric, routes);
        }
        return routes;
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
