package io.tsflow.derived.pipeline;

import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.schema.Observation;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The deriving graph: {@link RuleRouter} (uid {@code route-to-rules}) sends each point to the
 * derived series it feeds, keyed by rule and derived series into {@link StepAligner} (uid {@code
 * align-steps}). The input must carry event time and watermarks: steps are computed as the
 * watermark passes them.
 */
public final class DerivedPipeline {

    private DerivedPipeline() {}

    public static DataStream<Observation> define(
            DataStream<Observation> timed, List<DerivedRule> rules) {
        return timed.flatMap(new RuleRouter(rules))
                .uid("route-to-rules")
                .name("route to " + rules.size() + " rules")
                .keyBy(RuleInput::ruleAndTarget)
                .process(new StepAligner(rules))
                .uid("align-steps")
                .name("compute derived series");
    }
}
