package io.tsflow.rollup.pipeline;

import io.tsflow.common.RejectReason;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns a point that came too late for its bucket into a record for topic {@code
 * late-observations}: the reason, and the point itself as JSON so it can be inspected and
 * re-ingested to repair the bucket (README).
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
        byte[] original = point.toString().getBytes(StandardCharsets.UTF_8);
        return new Rejected(
                RejectReason.LATE_FOR_ROLLUP.name(),
                "its "
                        + lowestInterval
                        + " bucket had closed: the watermark had passed the bucket's end plus the"
                        + " allowed lateness "
                        + allowedLateness,
                "rollup",
                "",
                -1,
                -1L,
                point.getTimestampMicros() / 1000,
                "avro-json",
                point.getMetric(),
                null,
                null,
                ByteBuffer.wrap(original),
                original.length,
                false);
    }
}
