package io.tsflow.runtime;

import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.schema.Rejected;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/** How a job attaches its storage sink. */
public final class StorageSinks {

    private StorageSinks() {}

    /**
     * Writes {@code stream} to {@code storage} (none if null) with operator uid {@code uid}, and
     * returns the dead letters of what storage refused. A {@link CassandraSink} has them; any other
     * sink (a test's fault injector around one) is attached as a plain sink, and fails the job on a
     * refusal.
     */
    public static <T> List<DataStream<Rejected>> attach(
            DataStream<T> stream, Sink<T> storage, String uid, String name) {
        if (storage == null) {
            return List.of();
        }
        if (storage instanceof CassandraSink<T> cassandra) {
            return List.of(cassandra.writeFrom(stream, uid, name).name(name));
        }
        stream.sinkTo(storage).uid(uid).name(name);
        return List.of();
    }
}
