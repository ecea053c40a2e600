package io.tsflow.rollup.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns a point that came too late for its bucket into a record for topic {@code
 * late-observations}: the reason, and the point itself as JSON so it can be inspected and
 * re-ingested to repair the bucket (docs/jobs/rollup.md), cut like every dead letter so that it
 * always fits a Kafka record.
 */
public class LateObservations implements MapFunction<Observation, Rejected> {

    private static final long serialVersionUID = 1L;

    private final String lowestInterval;
    private final String allowedLateness;

    public LateObservations(RollupLevel finest) {
        this.lowestInterval = finest.interval().name();
        this.allowedLateness = finest.allowedLateness().toString();
    }

    @Override
    public Rejected map(Observation point) {
        return ObservationRejects.ofPoint(
                point,
                "rollup",
                RejectReason.LATE_FOR_ROLLUP,
                "its "
                        + lowestInterval
                        + " bucket had closed: the series' watermark had passed the bucket's end"
                        + " plus the allowed lateness "
                        + allowedLateness,
                null);
    }
}
