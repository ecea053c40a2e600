package io.tsflow.derived.rules;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.series.SeriesSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses rules that feed on each other in a cycle. Rule B depends on rule A when one of B's inputs
 * can read A's output: B's metric pattern matches A's metric (with each {@code $n} of A taken as
 * any text) and B's tag matchers do not exclude A's static tags. A rule never reads its own output
 * (the job drops a rule's own points from its inputs), so only cycles through other rules count.
 */
public final class DependencyCheck {

    private DependencyCheck() {}

    /** The rules each rule depends on, by name. */
    public static Map<String, List<String>> dependencies(List<DerivedRule> rules) {
        Map<String, List<String>> dependsOn = new HashMap<>();
        for (DerivedRule reader : rules) {
            List<String> sources = new ArrayList<>();
            for (DerivedRule writer : rules) {
                if (writer != reader && reads(reader, writer)) {
                    sources.add(writer.name());
                }
            }
            dependsOn.put(reader.name(), sources);
        }
        return dependsOn;
    }

    /** Throws a {@link ConfigException} naming a cycle if there is one. */
    public static void refuseCycles(List<DerivedRule> rules) {
        Map<String, List<String>> dependsOn = dependencies(rules);
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (DerivedRule rule : rules) {
            List<String> path = new ArrayList<>();
            visit(rule.name(), dependsOn, state, path);
        }
    }

    private static void visit(
            String rule,
            Map<String, List<String>> dependsOn,
            Map<String, Integer> state,
            List<String> path) {
        Integer seen = state.get(rule);
        if (seen != null && seen == 2) {
            return;
        }
        path.add(rule);
        if (seen != null && seen == 1) {
            List<String> cycle = path.subList(path.indexOf(rule), path.size());
            throw new ConfigException(
                    "rules: derived series form a cycle: " + String.join(" -> ", cycle));
        }
        state.put(rule, 1);
        for (String source : dependsOn.get(rule)) {
            visit(source, dependsOn, state, path);
        }
        state.put(rule, 2);
        path.remove(path.size() - 1);
    }

    private static boolean reads(DerivedRule reader, DerivedRule writer) {
        String sample = writer.metric().replaceAll("\\$\\d+", "x");
        for (InputSelector input : reader.inputs().values()) {
            // The writer's grouping tags take any value: a matcher on one cannot rule it out.
            Map<String, String> matchers =
                    new HashMap<>(input.tags() == null ? Map.of() : input.tags());
            writer.byOrNone().forEach(matchers::remove);
            SeriesSelector selector = new SeriesSelector(input.metric(), matchers);
            if (selector.matches(sample, writer.tagsOrNone())
                    || selector.matches(writer.metric(), writer.tagsOrNone())) {
                return true;
            }
        }
        return false;
    }
}
