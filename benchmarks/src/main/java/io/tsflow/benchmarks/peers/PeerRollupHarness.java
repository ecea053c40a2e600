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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
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
 * <p>The Flink peers run {@code --rounds} times at each size, in a rotating order, and each is
 * reported by the median of its rounds: on this kind of machine a run of a few seconds moves by up
 * to 2x with the machine's neighbours and the JIT compiler's progress, and the first round of a
 * size is the slowest. Kafka Streams runs once per size, after the rounds: it feeds its input topic
 * with the readings that close its windows, which the later runs would read.
 *
 * <p>Run: {@code ./tsflow bench peers} (options: {@code --series=10000,1000000 --rounds=5,2
 * --backends=hashmap,rocksdb --steps=6 --points=2000000
 * --peers=tsflow,tsflow-peers-output,sql,streams}; {@code --rounds} gives one count per size, or
 * one for all).
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

    /** The Flink peers, in the order of the first round. */
    private static final List<String> FLINK_PEERS = List.of(TSFLOW, TSFLOW_PEERS_OUTPUT, SQL);

    /** tsflow's throughput over {@code peer}'s, on the same state backend; empty if not run. */
    private static String ratio(Result peer, Map<String, Double> tsflowSeconds) {
        Double own = tsflowSeconds.get(peer.state());
        return own == null ? "" : String.format(Locale.ROOT, "%.2f", peer.seconds() / own);
    }

    /**
     * One peer's runs at one size: the median of their wall times, each round's, and how its
     * buckets compare (the first round whose buckets differ, or the last).
     */
    record Result(
            String peer,
            String state,
            double seconds,
            List<Double> rounds,
            PublishedBuckets.Comparison buckets) {

        /** The median of {@code runs} (each exact, or the first that is not). */
        static Result of(List<Result> runs) {
            List<Double> seconds = runs.stream().map(Result::seconds).sorted().toList();
            int middle = seconds.size() / 2;
            double median =
                    seconds.size() % 2 == 1
                            ? seconds.get(middle)
                            : (seconds.get(middle - 1) + seconds.get(middle)) / 2;
            Result last = runs.get(runs.size() - 1);
            PublishedBuckets.Comparison buckets =
                    runs.stream()
                            .map(Result::buckets)
                            .filter(comparison -> !comparison.exact())
                            .findFirst()
                            .orElse(last.buckets());
            return new Result(
                    last.peer(),
                    last.state(),
                    median,
                    runs.stream().map(Result::seconds).toList(),
                    buckets);
        }

        /** Each round's wall time, in the order run. */
        String roundsText() {
            return rounds.stream()
                    .map(round -> String.format(Locale.ROOT, "%.2f", round))
                    .collect(Collectors.joining(", "));
        }
    }

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
        List<Integer> rounds = options.numbers("rounds", List.of(3));
        if (rounds.size() != 1 && rounds.size() != seriesCounts.size()) {
            throw new IllegalArgumentException(
                    "--rounds takes one count per size of --series, or one for all: " + rounds);
        }
        LocalServers servers = LocalServers.get();
        BenchmarkJobRunner runner = BenchmarkJobRunner.start();

        say("warming up every peer on 1,000 series");
        // On every measured backend: RocksDB's paths are compiled apart from the heap's.
        runSize(servers, runner, new PeerWorkload(1_000, 200_000), backends, peers, 1);

        List<String> rows = new ArrayList<>();
        for (int size = 0; size < seriesCounts.size(); size++) {
            int series = seriesCounts.get(size);
            PeerWorkload workload =
                    new PeerWorkload(series, Math.max(minPoints, (long) series * minSteps));
            List<Result> results =
                    runSize(
                            servers,
                            runner,
                            workload,
                            backends,
                            peers,
                            rounds.get(rounds.size() == 1 ? 0 : size));
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
                                "| %,d | %,d | %s | %s | %.2f s | %s | %,.0f | %s | %s | %s |",
                                series,
                                workload.points(),
                                result.peer(),
                                result.state(),
                                result.seconds(),
                                result.roundsText(),
                                workload.points() / result.seconds(),
                                ours ? "" : ratio(result, tsflow),
                                ours ? "" : ratio(result, tsflowPeersOutput),
                                result.buckets().exact() ? "exact" : result.buckets()));
            }
        }
        runner.close();
        System.out.println();
        System.out.println(
                "| series | points | peer | state | wall time (median) | rounds (s) |"
                        + " observations/s | tsflow / peer | tsflow, peers' output / peer |"
                        + " buckets |");
        System.out.println("| ---: | ---: | --- | --- | ---: | --- | ---: | ---: | ---: | --- |");
        rows.forEach(System.out::println);
        boolean allExact = rows.stream().allMatch(row -> row.endsWith("| exact |"));
        System.exit(allExact ? 0 : 1);
    }

    /**
     * Loads one workload into a topic of its own, runs every peer of {@code peers} over it (the
     * Flink ones {@code rounds} times on each of {@code backends}, starting each round one peer
     * further along, so that none always runs first) and compares each run's buckets with the
     * workload's own computation; deletes the topics afterwards.
     */
    static List<Result> runSize(
            LocalServers servers,
            BenchmarkJobRunner runner,
            PeerWorkload workload,
            List<String> backends,
            List<String> peers,
            int rounds)
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

        List<String> flinkPeers =
                FLINK_PEERS.stream().filter(peer -> peers.contains(OPTION_OF.get(peer))).toList();
        Map<String, List<Result>> runs = new LinkedHashMap<>();
        for (String backend : backends) {
            for (String peer : flinkPeers) {
                runs.put(backend + "/" + peer, new ArrayList<>());
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (String backend : backends) {
                for (int i = 0; i < flinkPeers.size(); i++) {
                    String peer = flinkPeers.get((i + round) % flinkPeers.size());
                    runs.get(backend + "/" + peer)
                            .add(
                                    runFlink(
                                            servers, runner, kafka, workload, input, topics,
                                            expected, backend, peer));
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (List<Result> peerRuns : runs.values()) {
            results.add(Result.of(peerRuns));
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

    /** One run of a Flink peer, on an output topic of its own. */
    private static Result runFlink(
            LocalServers servers,
            BenchmarkJobRunner runner,
            TestKafka kafka,
            PeerWorkload workload,
            String input,
            List<String> topics,
            Map<String, BucketValues> expected,
            String backend,
            String peer)
            throws Exception {
        PeerTopics run = topics(servers, kafka, input, topics);
        StreamExecutionEnvironment env =
                peer.equals(SQL)
                        ? SqlRollupRun.define(run, backend)
                        : TsflowRollupRun.define(run, backend, peer.equals(TSFLOW_PEERS_OUTPUT));
        long submitted = runner.run(env, peer + " " + workload.series() + " " + backend);
        double seconds = seconds(submitted);
        return report(
                workload,
                new Result(
                        peer,
                        backend,
                        seconds,
                        List.of(seconds),
                        PublishedBuckets.readAll(run.bootstrap(), run.registryUrl(), run.output())
                                .compareWith(expected)));
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
                        List.of(seconds),
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
