package io.tsflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tsflow.common.config.ConfigException;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's command line: configuration file, schema-only mode, errors that name the key. */
class IngestNormalizeJobMainTest {

    private static String config(String keyspace, String extra) {
        LocalServers servers = LocalServers.get();
        return servers.connectionYaml(keyspace) + extra;
    }

    @Test
    void applySchemaOnlyCreatesTheKeyspaceAndTablesAndCanRunAgain(@TempDir Path dir)
            throws Exception {
        String keyspace = TestCassandra.uniqueKeyspace("schema");
        Path file = dir.resolve("ingest.yaml");
        Files.writeString(file, config(keyspace, ""));
        String[] args = {"--config", file.toString(), "--apply-schema-only"};
        IngestNormalizeJob.main(args);
        IngestNormalizeJob.main(args);
        try (CqlSession session = TestCassandra.session(LocalServers.get().cassandraContact())) {
            assertThat(session.getMetadata().getKeyspace(keyspace))
                    .hasValueSatisfying(
                            ks ->
                                    assertThat(ks.getTables().keySet())
                                            .extracting(id -> id.asInternal())
                                            .containsExactlyInAnyOrder(
                                                    "observations_raw",
                                                    "series",
                                                    "series_by_tag",
                                                    "metric_names",
                                                    "tag_keys",
                                                    "tag_values"));
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }

    @Test
    void aMisspelledKeyStopsTheJobAndIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.yaml");
        Files.writeString(file, config("unused", "ingest:\n  limits:\n    maxTag: 5\n"));
        assertThatThrownBy(
                        () -> IngestNormalizeJob.main(new String[] {"--config", file.toString()}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'ingest.limits.maxTag'")
                .hasMessageContaining("maxTags");
    }

    @Test
    void theCommandLineIsChecked() {
        assertThatThrownBy(() -> IngestNormalizeJob.main(new String[] {}))
                .hasMessageContaining("--config is required")
                .hasMessageContaining("usage: tsflow-ingest-normalize");
        assertThatThrownBy(() -> IngestNormalizeJob.main(new String[] {"--conf", "x"}))
                .hasMessageContaining("unknown argument '--conf'");
    }
}
