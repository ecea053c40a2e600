package io.tsflow.storage.raw;

import io.tsflow.common.RejectReason;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.CassandraSink;
import io.tsflow.connectors.cassandra.CqlScript;
import io.tsflow.connectors.cassandra.WriteOrder;
import io.tsflow.runtime.ObservationRejects;
import io.tsflow.schema.Observation;

/**
 * The Cassandra raw table ({@code observations_raw} with its series registry, {@code
 * cql/raw-schema.cql}): written by ingest-normalize for measured points and by derived-series for
 * derived ones, with the same rows, shards and TTL.
 */
public final class RawTable {

    public static final String CQL_SCHEMA = "cql/raw-schema.cql";

    private RawTable() {}

    /**
     * The sink for derived points: a later computation of a point (a revision, or a re-run) wins.
     */
    public static CassandraSink<Observation> sink(
            CassandraSettings cassandra, StorageSettings storage, String job) {
        return sink(cassandra, storage, WriteOrder.ARRIVAL, job);
    }

    /**
     * With {@code order}: ingest uses {@link WriteOrder#RECORD_TIMESTAMP}, so that of two sends of
     * one point the later sent wins, however a catch-up interleaves partitions. A point Cassandra
     * refuses becomes a {@code STORAGE_REFUSED} dead letter of {@code job}.
     */
    public static CassandraSink<Observation> sink(
            CassandraSettings cassandra, StorageSettings storage, WriteOrder order, String job) {
        return new CassandraSink<>(
                cassandra,
                new RawObservationMapper(cassandra.keyspace(), storage),
                order,
                (point, reason) ->
                        ObservationRejects.ofPoint(
                                point,
                                job,
                                RejectReason.STORAGE_REFUSED,
                                ObservationRejects.describe(reason),
                                reason));
    }

    /** Creates the keyspace and tables if absent; safe to run at every start. */
    public static void applySchema(CassandraSettings cassandra) {
        CqlScript.applyToKeyspace(cassandra, CQL_SCHEMA, RawTable.class.getClassLoader());
    }
}
