package io.tsflow.derived.pipeline;

import io.tsflow.common.time.SeriesTiming;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.runtime.EndOfInputOperator;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The deriving graph: {@link RuleRouter} (uid {@code route-to-rules}) sends each point to the
 * derived series it feeds, keyed by rule and derived series into {@link StepAligner} (uid {@code
 * align-steps}), which {@link EndOfInputOperator} runs so that the end of a bounded input reaches
 * every derived series. Each derived series keeps its own time from its inputs': the input needs no
 * watermark.
 */
public final class DerivedPipeline {

    private DerivedPipeline() {}

    /** The derived points, and the input points the aligner failed on (dead letters). */
    public record Outputs(DataStream<Observation> derived, DataStream<Rejected> refused) {}

    public static Outputs define(
            DataStream<Observation> observations, List<DerivedRule> rules, SeriesTiming timing) {
        SingleOutputStreamOperator<Observation> derived =
                observations
                        .flatMap(new RuleRouter(rules))
                        .uid("route-to-rules")
                        .name("route to " + rules.size() + " rules")
                        .keyBy(RuleInput::ruleAndTarget)
                        .transform(
                                "compute derived series",
                                TypeInformation.of(Observation.class),
                                new StepAligner(rules, timing).operator())
                        .uid("align-steps")
                        .name("compute derived series");
        return new Outputs(derived, derived.getSideOutput(StepAligner.REFUSED));
    }
}
