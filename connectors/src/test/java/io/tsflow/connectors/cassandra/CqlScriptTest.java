package io.tsflow.connectors.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CqlScriptTest {

    @Test
    void splitsStatementsDropsCommentsAndSubstitutesVariables() {
        List<String> statements =
                CqlScript.statements(
                        "cql/test-schema.cql", Map.of("keyspace", "ks", "replication", "{}"));
        assertThat(statements)
                .containsExactly(
                        "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {};",
                        "CREATE TABLE IF NOT EXISTS ks.items (\n"
                                + "id bigint PRIMARY KEY,\n"
                                + "label text\n"
                                + ");");
    }

    @Test
    void missingVariableIsAnError() {
        assertThatThrownBy(
                        () -> CqlScript.statements("cql/test-schema.cql", Map.of("keyspace", "ks")))
                .hasMessageContaining("${replication}");
    }

    @Test
    void replicationIsValidatedAndRendered() {
        CassandraSettings multiSite =
                new CassandraSettings(
                        List.of("10.0.0.1:9042"),
                        "brussels",
                        "tsflow",
                        Map.of("class", "NetworkTopologyStrategy", "brussels", 3, "liege", 2),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        multiSite.validate("cassandra");
        assertThat(multiSite.replicationCql())
                .contains("'class': 'NetworkTopologyStrategy'")
                .contains("'brussels': '3'")
                .contains("'liege': '2'");

        CassandraSettings injected =
                new CassandraSettings(
                        List.of("h:1"),
                        null,
                        "tsflow",
                        Map.of(
                                "class",
                                "SimpleStrategy",
                                "replication_factor",
                                "1'}; DROP KEYSPACE x; --"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        assertThatThrownBy(() -> injected.validate("cassandra"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.replication.replication_factor");
        CassandraSettings badConsistency =
                new CassandraSettings(
                        List.of("h:1"),
                        null,
                        null,
                        null,
                        "MOST",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        assertThatThrownBy(() -> badConsistency.validate("cassandra"))
                .hasMessageStartingWith("cassandra.consistency");
    }
}
