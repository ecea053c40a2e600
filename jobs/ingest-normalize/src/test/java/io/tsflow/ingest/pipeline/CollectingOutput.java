package io.tsflow.ingest.pipeline;

import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.util.ArrayList;
import java.util.List;

/** Collects what a {@link RecordProcessor} emits. */
public final class CollectingOutput implements RecordProcessor.Output {

    public final List<Observation> observations = new ArrayList<>();
    public final List<Rejected> rejected = new ArrayList<>();
    public int pointsLost;

    @Override
    public void observation(Observation observation) {
        observations.add(observation);
    }

    @Override
    public void rejected(Rejected record, int points) {
        rejected.add(record);
        pointsLost += points;
    }

    public List<String> reasons() {
        return rejected.stream().map(Rejected::getReason).toList();
    }
}
