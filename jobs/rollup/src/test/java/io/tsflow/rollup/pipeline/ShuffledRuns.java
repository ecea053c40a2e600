package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Observation;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Runs as the rollup receives them in a job: through the shuffle's bytes. */
final class ShuffledRuns {

    private ShuffledRuns() {}

    /** A run of {@code point} alone, written and read back by {@link PointRunSerializer}. */
    static PointRun of(Observation point) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        PointRunSerializer.INSTANCE.serialize(PointRun.of(point), out);
        return PointRunSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
