package io.tsflow.runtime;

import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.schema.Rejected;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * How a job's graph hands a stream to one of its outputs: a Kafka sink, a Cassandra table, a test's
 * collector, or nothing. Returns the dead letters of what the output refused (a Cassandra table's),
 * which the job routes to its dead-letter topic.
 */
@FunctionalInterface
public interface SinkApplier<T> {

    List<DataStream<Rejected>> attach(DataStream<T> stream, String uid, String name);

    /** An output that is switched off. */
    static <T> SinkApplier<T> none() {
        return (stream, uid, name) -> List.of();
    }

    /** A plain sink, which fails the job if it cannot write. */
    static <T> SinkApplier<T> of(Sink<T> sink) {
        return (stream, uid, name) -> {
            stream.sinkTo(sink).uid(uid).name(name);
            return List.of();
        };
    }

    /** A Cassandra table: what it refuses becomes dead letters. */
    static <T> SinkApplier<T> table(CassandraSink<T> table) {
        return (stream, uid, name) -> List.of(table.writeFrom(stream, uid, name).name(name));
    }
}
