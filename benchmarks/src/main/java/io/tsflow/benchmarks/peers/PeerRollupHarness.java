package io.tsflow.benchmarks.peers;

import io.tsflow.benchmarks.BenchmarkJobRunner;
import io.tsflow.benchmarks.HarnessOptions;
import io.tsflow.benchmarks.peers.sql.SqlRollupRun;
import io.tsflow.benchmarks.peers.streams.StreamsRollupRun;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * The 1m and 1h rollup (count, sum, min, max, mean per series, event time) by tsflow's rollup job,
 * by the same rollup in Flink SQL, and as a Kafka Streams topology, in one run: each reads the same
 * Avro observations from a 2-partition topic of the local Kafka and writes its buckets, exactly
 * once, to a topic of its own, at parallelism 2 (two stream threads). Every peer's buckets are
 * compared with a computation of the harness's own; a run whose buckets differ fails the harness.
 *
 * <p>tsflow runs twice: as configured by default (it also publishes quantiles and its sketch), and
 * with one rule that makes it publish what the peers publish.
 *
 * <p>Run: {@code ./tsflow bench peers} (options: {@code --series=10000,1000000
 * --backends=hashmap,rocksdb --steps=6 --points=2000000
 * --peers=tsflow,tsflow-peers-output,sql,streams}).
 */
public final class PeerRollupHarness {

    private static final String TSFLOW = "tsflow";

    /** tsflow publishing what the peers publish: no quantiles, no sketch. */
    private static final String TSFLOW_PEERS_OUTPUT = "tsflow, peers' output";

    private static final String SQL = "Flink SQL";

    /** The value of option {@code --peers} that selects each run. */
    private static final Map<String, String> OPTION_OF =
            Map.of(TSFLOW, "tsflow", TSFLOW_PEERS_OUTPUT, "tsflow-peers-output", SQL, "sql");

    private PeerRollupHarness() {}

    /** tsflow's throughput over {@code peer}'s, on the same state backend; empty if not run. */
    private static String ratio(Result peer, Map<String, Double> tsflowSeconds) {
        Double own = tsflowSeconds.get(peer.state());
        return own == null ? "" : String.format(Locale.ROOT, "%.2f", peer.seconds() / own);
    }

    /** One peer's run: its wall time and how its buckets compare. */
    record Result(String peer, String state, double seconds, PublishedBuckets.Comparison buckets) {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // The MiniCluster's and Kafka Streams' threads would keep the JVM alive.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parse(args);
        List<Integer> seriesCounts = options.numbers("series", List.of(10_000, 1_000_000));
        List<String> backends = options.texts("backends", List.of("hashmap", "rocksdb"));
        long minPoints = options.number("points", 2_000_000);
        int minSteps = (int) options.number("steps", 6);
        List<String> peers =
                options.texts("peers", List.of("tsflow", "tsflow-peers-output", "sql", "streams"));
        LocalServers servers = LocalServers.get();
        BenchmarkJobRunner runner = BenchmarkJobRunner.start();

        say("warming up every peer on 1,000 series");
        runSize(servers, runner, new PeerWorkload(1_000, 200_000), List.of("hashmap"), peers);

        List<String> rows = new ArrayList<>();
        for (int series : seriesCounts) {
            PeerWorkload workload =
                    new PeerWorkload(series, Math.max(minPoints, (long) series * minSteps));
            List<Result> results = runSize(servers, runner, workload, backends, peers);
            Map<String, Double> tsflow = new HashMap<>();
            Map<String, Double> tsflowPeersOutput = new HashMap<>();
            for (Result result : results) {
                if (result.peer().equals(TSFLOW)) {
                    tsflow.put(result.state(), result.seconds());
                } else if (result.peer().equals(TSFLOW_PEERS_OUTPUT)) {
                    tsflowPeersOutput.put(result.state(), result.seconds());
                }
            }
            for (Result result : results) {
                boolean ours = result.peer().startsWith(TSFLOW);
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| %,d | %,d | %s | %s | %.2f s | %,.0f | %s | %s | %s |",
                                series,
                                workload.points(),
                                result.peer(),
                                result.state(),
                                result.seconds(),
                                workload.points() / result.seconds(),
                                ours ? "" : ratio(result, tsflow),
                                ours ? "" : ratio(result, tsflowPeersOutput),
                                result.buckets().exact() ? "exact" : result.buckets()));
            }
        }
        runner.close();
        System.out.println();
        System.out.println(
                "| series | points | peer | state | wall time | observations/s | tsflow / peer |"
                        + " tsflow, peers' output / peer | buckets |");
        System.out.println("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | --- |");
        rows.forEach(System.out::println);
        boolean allExact = rows.stream().allMatch(row -> row.endsWith("| exact |"));
        System.exit(allExact ? 0 : 1);
    }

    /**
     * Loads one workload into a topic of its own, runs every peer of {@code peers} over it (the
     * Flink ones on each of {@code backends}) and compares each one's buckets with the workload's
     * own computation; deletes the topics afterwards.
     */
    static List<Result> runSize(
            LocalServers servers,
            BenchmarkJobRunner runner,
            PeerWorkload workload,
            List<String> backends,
            List<String> peers)
            throws Exception {
        TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
        String input = TestKafka.uniqueName("peers-observations");
        kafka.createTopics(2, input);
        List<String> topics = new ArrayList<>(List.of(input));
        long loadStart = System.nanoTime();
        workload.produce(servers.kafkaBootstrap(), servers.registryUrl(), input);
        say(
                "%,d series: loaded %,d observations into %s in %.1f s",
                workload.series(), workload.points(), input, seconds(loadStart));
        Map<String, BucketValues> expected = workload.expectedBuckets();
        say("%,d buckets expected", expected.size());

        List<Result> results = new ArrayList<>();
        for (String backend : backends) {
            for (String peer : List.of(TSFLOW, TSFLOW_PEERS_OUTPUT, SQL)) {
                if (!peers.contains(OPTION_OF.get(peer))) {
                    continue;
                }
                PeerTopics run = topics(servers, kafka, input, topics);
                StreamExecutionEnvironment env =
                        peer.equals(SQL)
                                ? SqlRollupRun.define(run, backend)
                                : TsflowRollupRun.define(
                                        run, backend, peer.equals(TSFLOW_PEERS_OUTPUT));
                long submitted = runner.run(env, peer + " " + workload.series() + " " + backend);
                double seconds = seconds(submitted);
                results.add(
                        report(
                                workload,
                                new Result(
                                        peer,
                                        backend,
                                        seconds,
                                        PublishedBuckets.readAll(
                                                        run.bootstrap(),
                                                        run.registryUrl(),
                                                        run.output())
                                                .compareWith(expected))));
            }
        }
        if (peers.contains("streams")) {
            results.add(runStreams(servers, kafka, workload, input, topics, expected));
        }
        try (Admin admin = Admin.create(adminProperties(servers))) {
            // With Kafka Streams' changelogs, named after its application id (the output topic).
            List<String> all = new ArrayList<>();
            for (String topic : admin.listTopics().names().get()) {
                if (topics.stream().anyMatch(topic::startsWith)) {
                    all.add(topic);
                }
            }
            admin.deleteTopics(all).all().get();
        }
        return results;
    }

    /** Kafka Streams, last: its ticks stay on the input topic. */
    private static Result runStreams(
            LocalServers servers,
            TestKafka kafka,
            PeerWorkload workload,
            String input,
            List<String> topics,
            Map<String, BucketValues> expected)
            throws Exception {
        PeerTopics run = topics(servers, kafka, input, topics);
        double seconds;
        try (PeerWorkload.Ticker ticker =
                        workload.ticker(run.bootstrap(), run.registryUrl(), input);
                StreamsRollupRun streams = StreamsRollupRun.start(run)) {
            long started = System.nanoTime();
            PublishedBuckets.awaitRealRecords(
                    run.bootstrap(),
                    run.output(),
                    expected.size(),
                    Duration.ofMinutes(30),
                    () -> {
                        if (streams.failed()) {
                            throw new IllegalStateException("the Kafka Streams application failed");
                        }
                        ticker.run();
                    });
            seconds = seconds(started);
        }
        return report(
                workload,
                new Result(
                        "Kafka Streams",
                        "rocksdb",
                        seconds,
                        PublishedBuckets.readAll(run.bootstrap(), run.registryUrl(), run.output())
                                .compareWith(expected)));
    }

    private static PeerTopics topics(
            LocalServers servers, TestKafka kafka, String input, List<String> created) {
        String output = TestKafka.uniqueName("peers-aggregations");
        kafka.createTopics(2, output, output + "-late", output + "-dead-letter");
        created.addAll(List.of(output, output + "-late", output + "-dead-letter"));
        return new PeerTopics(servers.kafkaBootstrap(), servers.registryUrl(), input, output);
    }

    private static Result report(PeerWorkload workload, Result result) {
        say(
                "%,d series, %s (%s): %.2f s, %,.0f observations/s; %s",
                workload.series(),
                result.peer(),
                result.state(),
                result.seconds(),
                workload.points() / result.seconds(),
                result.buckets());
        return result;
    }

    private static Properties adminProperties(LocalServers servers) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", servers.kafkaBootstrap());
        return properties;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[peers] " + format + "%n", args);
    }
}
