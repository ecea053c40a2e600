package io.tsflow.derived.pipeline;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.schema.Observation;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The deriving graph: {@link RuleRouter} (uid {@code route-to-rules}) sends each point to the
 * derived series it feeds, keyed by rule and derived series into {@link StepAligner} (uid {@code
 * align-steps}). Each derived series keeps its own time from its inputs': the input needs no
 * watermark, only the end of a bounded input.
 */
public final class DerivedPipeline {

    private DerivedPipeline() {}

    public static DataStream<Observation> define(
            DataStream<Observation> observations, List<DerivedRule> rules, SeriesTiming timing) {
        return observations
                .flatMap(new RuleRouter(rules))
                .uid("route-to-rules")
                .name("route to " + rules.size() + " rules")
                .keyBy(RuleInput::ruleAndTarget)
                .process(new StepAligner(rules, timing))
                .uid("align-steps")
                .name("compute derived series");
    }
}
