package io.tsflow.storage.rollup;

import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.CqlScript;

/** The rollup table: its CQL, created where absent. */
public final class RollupTable {

    public static final String CQL_SCHEMA = "cql/rollup-schema.cql";

    private RollupTable() {}

    /** Creates the keyspace and table if absent; safe to run at every start. */
    public static void applySchema(CassandraSettings cassandra) {
        CqlScript.applyToKeyspace(cassandra, CQL_SCHEMA, RollupTable.class.getClassLoader());
    }
}
