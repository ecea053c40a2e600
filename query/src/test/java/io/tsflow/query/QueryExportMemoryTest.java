package io.tsflow.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.storage.raw.RawObservationMapper;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.raw.StorageSettings;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export of a million raw points, in a JVM whose heap (48 MB) could not hold them: the export
 * pages through Cassandra and writes as it reads. The million points, as Java objects, would take
 * several times that heap.
 */
class QueryExportMemoryTest {

    private static final int SERIES = 10;
    private static final int POINTS_PER_SERIES = 100_000;
    private static final long START =
            Instant.parse("2026-05-01T00:00:00Z").getEpochSecond() * 1_000_000L;

    @TempDir Path dir;

    @Test
    void aMillionPointsExportInConstantMemory() throws Exception {
        String keyspace = TestCassandra.uniqueKeyspace("export");
        String contact = LocalServers.get().cassandraContact();
        CassandraSettings cassandra = CassandraSettings.local(contact, keyspace);
        RawTable.applySchema(cassandra);
        try (CqlSession session = TestCassandra.session(contact)) {
            store(session, keyspace);
            Path config = dir.resolve("query.yaml");
            Files.writeString(
                    config,
                    "cassandra: {contactPoints: ['"
                            + contact
                            + "'], localDatacenter: datacenter1, keyspace: "
                            + keyspace
                            + "}\n");
            Path output = dir.resolve("export.csv");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx48m");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(QueryExport.class.getName());
            command.addAll(
                    List.of(
                            "--config",
                            config.toString(),
                            "--target",
                            "seriesByTag('name=export.load')",
                            "--from",
                            Long.toString(START / 1_000_000),
                            "--until",
                            Long.toString(START / 1_000_000 + 86_400),
                            "--output",
                            output.toString()));
            Process export =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("export.log").toFile())
                            .start();
            assertThat(export.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(export.exitValue()).as(Files.readString(dir.resolve("export.log"))).isZero();
            long lines = 0;
            String last = null;
            try (BufferedReader reader = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines++;
                    last = line;
                }
            }
            assertThat(lines).isEqualTo(1 + (long) SERIES * POINTS_PER_SERIES);
            assertThat(last)
                    .endsWith(",2026-05-01T00:27:46.583334Z," + (double) (POINTS_PER_SERIES - 1));
            assertThat(Files.readString(dir.resolve("export.log")))
                    .contains("Exported " + SERIES * POINTS_PER_SERIES + " points");
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }

    /** Ten series of 100,000 points 16.666 ms apart, as ingest writes them. */
    private static void store(CqlSession session, String keyspace) throws InterruptedException {
        RawObservationMapper registry =
                new RawObservationMapper(keyspace, StorageSettings.defaults());
        registry.open(session);
        PreparedStatement point =
                session.prepare(
                        "INSERT INTO "
                                + keyspace
                                + ".observations_raw (series_key, shard, ts_micros, value_double)"
                                + " VALUES (?, '2026-05', ?, ?)");
        Semaphore inFlight = new Semaphore(512);
        for (int s = 0; s < SERIES; s++) {
            Map<String, String> tags = Map.of("host", "h" + s);
            String key = SeriesKey.of("export.load", new TreeMap<>(tags));
            registry.statementsFor(
                    new Observation(
                            key, "export.load", tags, "tdouble", START, 0.0, Origin.MEASURED, null),
                    session::execute);
            for (int i = 0; i < POINTS_PER_SERIES; i++) {
                inFlight.acquire();
                session.executeAsync(point.bind(key, START + i * 16_666L, (double) i))
                        .whenComplete((result, error) -> inFlight.release());
            }
        }
        inFlight.acquire(512);
        inFlight.release(512);
    }
}
