package io.tsflow.benchmarks.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.tsflow.benchmarks.BenchmarkCluster;
import io.tsflow.benchmarks.BenchmarkJobRunner;
import io.tsflow.benchmarks.HarnessOptions;
import io.tsflow.benchmarks.RawRows;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.connectors.cassandra.CqlSessions;
import io.tsflow.connectors.cassandra.WriteOrder;
import io.tsflow.schema.Observation;
import io.tsflow.storage.raw.RawObservationMapper;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.raw.StorageSettings;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Rows per second into the raw table of the local Cassandra node: tsflow's sink (the write operator
 * the jobs use, in a Flink job at parallelism 2, points from a generator) with several numbers of
 * rows per batch and writes in flight, beside a plain driver loop that writes the same statements
 * one by one, asynchronously, with a bounded number in flight: the node's ceiling, measured in the
 * same run at several concurrencies. Each run writes into a fresh keyspace and is checked to have
 * stored every point.
 *
 * <p>Run: {@code ./tsflow bench cassandra} (options: {@code --points=1000000 --series=10000
 * --loop-in-flight=256,1024 --sink=1x256,32x256 --runs=1,5,100}, a sink configuration being rows
 * per batch x writes in flight per subtask).
 */
public final class CassandraWriteHarness {

    private CassandraWriteHarness() {}

    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parse(args);
        long points = options.number("points", 1_000_000);
        int series = (int) options.number("series", 10_000);
        List<Integer> loopInFlight = options.numbers("loop-in-flight", List.of(256, 1024));
        List<String> sinks = options.texts("sink", List.of("1x256", "32x256"));
        List<Integer> runs = options.numbers("runs", List.of(1, 5, 100));
        LocalServers servers = LocalServers.get();
        BenchmarkJobRunner runner = BenchmarkJobRunner.start();
        List<String> rows = new ArrayList<>();
        // Warm both sides once (JIT, the node's caches), outside the measurements.
        loop(servers, new SeriesRuns(1_000, 5), 100_000, 256);
        sink(servers, runner, new SeriesRuns(1_000, 5), 100_000, 32, 256);

        // The node's ceiling: the best loop of the run. Loops and sinks alternate, so that a
        // slower or faster spell of this shared machine falls on both sides.
        double ceiling = 0;
        List<String[]> measured = new ArrayList<>();
        for (int run : runs) {
            SeriesRuns readings = new SeriesRuns(series, run);
            for (int inFlight : loopInFlight) {
                double rate = loop(servers, readings, points, inFlight);
                ceiling = Math.max(ceiling, rate);
                measured.add(
                        new String[] {
                            Integer.toString(run),
                            "driver loop, one statement per row",
                            Integer.toString(inFlight),
                            Double.toString(rate)
                        });
            }
            for (String sink : sinks) {
                String[] parts = sink.split("x");
                int batchRows = Integer.parseInt(parts[0]);
                int inFlight = Integer.parseInt(parts[1]);
                double rate = sink(servers, runner, readings, points, batchRows, inFlight);
                measured.add(
                        new String[] {
                            Integer.toString(run),
                            "tsflow sink, parallelism 2, " + batchRows + " row(s) per batch",
                            inFlight + " per subtask",
                            Double.toString(rate)
                        });
            }
        }
        for (String[] row : measured) {
            double rate = Double.parseDouble(row[3]);
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %,.0f | %.2f |",
                            row[0],
                            row[1],
                            row[2],
                            rate,
                            rate / ceiling));
        }
        runner.close();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%,d points of %,d series (%,d per series, one partition each)%n%n",
                points,
                series,
                points / series);
        System.out.println(
                "| points in a row per series | writer | in flight | points/s | vs. best loop |");
        System.out.println("| ---: | --- | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    private static CassandraSettings settings(LocalServers servers, String keyspace) {
        return CassandraSettings.local(servers.cassandraContact(), keyspace);
    }

    /**
     * The plain driver loop: the mapper's statements, one request each, {@code inFlight} at once.
     */
    private static double loop(LocalServers servers, SeriesRuns readings, long points, int inFlight)
            throws Exception {
        String keyspace = TestCassandra.uniqueKeyspace("bench_loop");
        CassandraSettings settings = settings(servers, keyspace);
        RawTable.applySchema(settings);
        RawObservationMapper mapper =
                new RawObservationMapper(keyspace, StorageSettings.defaults());
        Semaphore permits = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong statements = new AtomicLong();
        double seconds;
        try (CqlSession session =
                CqlSessions.open(settings, CassandraWriteHarness.class.getClassLoader())) {
            mapper.open(session);
            long start = System.nanoTime();
            for (long i = 0; i < points; i++) {
                Observation point = readings.point(i);
                mapper.statementsFor(
                        point,
                        statement -> {
                            permits.acquireUninterruptibly();
                            statements.incrementAndGet();
                            session.executeAsync((Statement<?>) statement)
                                    .whenComplete(
                                            (result, error) -> {
                                                if (error != null) {
                                                    failure.compareAndSet(null, error);
                                                }
                                                permits.release();
                                            });
                        });
            }
            permits.acquireUninterruptibly(inFlight);
            seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("the driver loop failed", failure.get());
            }
            check(session, keyspace, points);
        }
        say(
                "driver loop, %d in flight: %,d points (%,d statements) in %.2f s: %,.0f points/s",
                inFlight, points, statements.get(), seconds, points / seconds);
        drop(servers, keyspace);
        return points / seconds;
    }

    /** tsflow's sink in a Flink job; returns points per second by wall time. */
    private static double sink(
            LocalServers servers,
            BenchmarkJobRunner runner,
            SeriesRuns readings,
            long points,
            int batchRows,
            int inFlight)
            throws Exception {
        String keyspace = TestCassandra.uniqueKeyspace("bench_sink");
        CassandraSettings settings = settings(servers, keyspace).withWrites(inFlight, batchRows);
        RawTable.applySchema(settings);
        StreamExecutionEnvironment env = BenchmarkCluster.environment("hashmap");
        DataStream<Observation> stream =
                env.fromSource(
                        new DataGeneratorSource<>(
                                readings, points, new AvroTypeInfo<>(Observation.class)),
                        WatermarkStrategy.noWatermarks(),
                        "points");
        RawTable.sink(settings, StorageSettings.defaults(), WriteOrder.ARRIVAL, "bench")
                .writeFrom(stream, "raw-table", "raw table")
                .sinkTo(new DiscardingSink<>());
        long submitted = runner.run(env, "cassandra sink " + batchRows + "x" + inFlight);
        double seconds = (System.nanoTime() - submitted) / 1e9;
        try (CqlSession session = TestCassandra.session(servers.cassandraContact())) {
            check(session, keyspace, points);
        }
        say(
                "tsflow sink, %d rows per batch, %d in flight: %,d points in %.2f s: %,.0f"
                        + " points/s",
                batchRows, inFlight, points, seconds, points / seconds);
        drop(servers, keyspace);
        return points / seconds;
    }

    private static void check(CqlSession session, String keyspace, long points) {
        long stored = RawRows.count(session, keyspace);
        if (stored != points) {
            throw new IllegalStateException(
                    String.format(
                            "%,d points stored in %s, %,d written", stored, keyspace, points));
        }
    }

    private static void drop(LocalServers servers, String keyspace) {
        try (CqlSession session = TestCassandra.session(servers.cassandraContact())) {
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[cassandra] " + format + "%n", args);
    }
}
