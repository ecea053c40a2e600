package io.tsflow.runtime;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;

/**
 * One record of topic {@code observations} as its source emits it: the observation, or, for a
 * record that does not decode, its dead letter. Decoding in the source lets the source time each
 * Kafka partition by its points' event time. A Flink POJO of two Avro records, one of them null.
 */
public class DecodedObservation {

    public Observation observation;
    public Rejected rejected;

    public DecodedObservation() {}

    public static DecodedObservation of(Observation observation) {
        DecodedObservation decoded = new DecodedObservation();
        decoded.observation = observation;
        return decoded;
    }

    public static DecodedObservation rejected(Rejected rejected) {
        DecodedObservation decoded = new DecodedObservation();
        decoded.rejected = rejected;
        return decoded;
    }

    /** The point's event time in milliseconds, or {@code Long.MIN_VALUE} for a dead letter. */
    public long eventTimeMillis() {
        return observation == null
                ? Long.MIN_VALUE
                : Math.floorDiv(observation.getTimestampMicros(), 1000L);
    }
}
