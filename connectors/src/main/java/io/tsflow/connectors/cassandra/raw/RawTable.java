package io.tsflow.connectors.cassandra.raw;

import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.connectors.cassandra.CqlScript;
import io.tsflow.schema.Observation;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The Cassandra raw table ({@code observations_raw} with its series registry, {@code
 * cql/raw-schema.cql}): written by ingest-normalize for measured points and by derived-series for
 * derived ones, with the same rows, shards and TTL.
 */
public final class RawTable {

    public static final String CQL_SCHEMA = "cql/raw-schema.cql";

    private RawTable() {}

    public static Sink<Observation> sink(CassandraSettings cassandra, StorageSettings storage) {
        return new CassandraSink<>(
                cassandra, new RawObservationMapper(cassandra.keyspace(), storage));
    }

    /** Creates the keyspace and tables if absent; safe to run at every start. */
    public static void applySchema(CassandraSettings cassandra) {
        CqlScript.applyToKeyspace(cassandra, CQL_SCHEMA, RawTable.class.getClassLoader());
    }
}
