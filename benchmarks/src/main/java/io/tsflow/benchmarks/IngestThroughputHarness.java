package io.tsflow.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.ingest.IngestNormalizeJob;
import io.tsflow.ingest.IngestSinks;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.runtime.JobEnvironment;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import io.tsflow.testing.TestKafka;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * End-to-end throughput of ingest-normalize on the real local servers: N points (JSON, 5 points per
 * record, 10k series) are loaded into a fresh {@code raw} topic, then read by the job at
 * parallelism 2 on a MiniCluster with exactly-once sinks, once with the Kafka sinks alone and once
 * with Cassandra too. In the same run, the hand-written single-threaded loop processes the same
 * records in memory: the baseline. Each job run is checked to have written every point exactly
 * once.
 *
 * <p>Run: {@code ./tsflow bench} (or {@code -Dtsflow.bench.args=--points=200000}).
 */
public final class IngestThroughputHarness {

    private static final int ROUNDS = 5;

    private IngestThroughputHarness() {}

    public static void main(String[] args) throws Exception {
        int points = 1_000_000;
        String compression = "lz4";
        boolean withCassandra = true;
        // exec:exec passes the options as one argument.
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--points=")) {
                points = Integer.parseInt(arg.substring("--points=".length()));
            } else if (arg.startsWith("--compression=")) {
                compression = arg.substring("--compression=".length());
            } else if (arg.equals("--kafka-only")) {
                withCassandra = false;
            }
        }
        int recordCount = points / Workload.POINTS_PER_RECORD;
        LocalServers servers = LocalServers.get();
        TestKafka kafka = new TestKafka(servers.kafkaBootstrap());
        String raw = TestKafka.uniqueName("bench-raw");
        kafka.createTopics(2, raw);

        List<byte[]> records = Workload.records(recordCount, 10_000);
        List<ProducerRecord<byte[], byte[]>> produce = new ArrayList<>(recordCount);
        for (int i = 0; i < records.size(); i++) {
            produce.add(
                    new ProducerRecord<>(
                            raw, i % 2, Workload.RECORD_TIME_MILLIS, null, records.get(i)));
        }
        long loadStart = System.nanoTime();
        kafka.sendAll(produce);
        produce = null;
        say(
                "loaded %,d records (%,d points) into %s in %.1f s",
                recordCount, points, raw, seconds(loadStart));

        // The loop and the warm job runs are both summarised by their median over ROUNDS runs:
        // the same statistic on both sides of the ratio.
        List<Double> loopRates = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            HandWrittenIngestLoop loop = new HandWrittenIngestLoop();
            long start = System.nanoTime();
            long accepted = 0;
            for (byte[] record : records) {
                accepted += loop.process(record, Workload.RECORD_TIME_MILLIS);
            }
            double rate = accepted / seconds(start);
            say("hand-written loop, round %d: %,.0f points/s (%,d points)", round, rate, accepted);
            loopRates.add(rate);
        }
        double loopRate = sorted(loopRates).get(ROUNDS / 2);
        records = null;

        BenchmarkJobRunner cluster = BenchmarkJobRunner.start();
        List<Result> results = new ArrayList<>();
        // The loop above ran warm; the first job run also pays for JIT compilation of the job's
        // code, so it is reported as "cold" and the measured runs follow it in the same JVM.
        Result cold = runJob(cluster, servers, kafka, raw, points, false, compression);
        results.add(cold.named(cold.name() + " (cold: first run in this JVM)"));
        List<Result> warm = new ArrayList<>();
        for (int run = 0; run < ROUNDS; run++) {
            warm.add(runJob(cluster, servers, kafka, raw, points, false, compression));
        }
        // Each column's median on its own: the run with the median wall time need not be the one
        // with the median processing time.
        List<Double> wallTimes = sorted(warm.stream().map(Result::seconds).toList());
        List<Double> processingTimes =
                sorted(warm.stream().map(Result::processingSeconds).toList());
        results.add(
                new Result(
                        warm.get(0).name() + " (median of " + ROUNDS + " warm runs)",
                        points,
                        wallTimes.get(ROUNDS / 2),
                        processingTimes.get(ROUNDS / 2)));
        if (withCassandra) {
            results.add(runJob(cluster, servers, kafka, raw, points, true, compression));
        }

        System.out.println();
        System.out.println(
                "| run | wall time | points/s | vs. loop | processing time | points/s | vs. loop"
                        + " |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        System.out.printf(
                "| hand-written loop, 1 thread, in memory, %,d points (median of %d) | | | |"
                        + " %.2f s | %,.0f | 1.00 |%n",
                points, ROUNDS, points / loopRate, loopRate);
        for (Result result : results) {
            System.out.printf(
                    "| %s | %.2f s | %,.0f | %.2f | %.2f s | %,.0f | %.2f |%n",
                    result.name,
                    result.seconds,
                    result.points / result.seconds,
                    result.points / result.seconds / loopRate,
                    result.processingSeconds,
                    result.points / result.processingSeconds,
                    result.points / result.processingSeconds / loopRate);
        }
        System.out.printf(
                "%nSink compression: %s. Wall time: submission to the end of the final checkpoint."
                        + " Processing time: first to last observation written.%n"
                        + "Loop rounds (points/s): %s.%nWarm job runs, wall time: %s;"
                        + " processing time: %s.%n",
                compression,
                rates(loopRates),
                rates(warm.stream().map(r -> r.points() / r.seconds()).toList()),
                rates(warm.stream().map(r -> r.points() / r.processingSeconds()).toList()));
        cluster.close();
        System.exit(0);
    }

    /**
     * One job run: wall time from submission to the end of the final checkpoint, and processing
     * time from the first to the last observation written.
     */
    private record Result(String name, long points, double seconds, double processingSeconds) {
        Result named(String newName) {
            return new Result(newName, points, seconds, processingSeconds);
        }
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    private static String rates(List<Double> rates) {
        return rates.stream()
                .map(rate -> String.format("%,.0f", rate))
                .collect(java.util.stream.Collectors.joining(" / "));
    }

    private static Result runJob(
            BenchmarkJobRunner cluster,
            LocalServers servers,
            TestKafka kafka,
            String raw,
            int points,
            boolean cassandra,
            String compression)
            throws Exception {
        String observations = TestKafka.uniqueName("bench-observations");
        String deadLetter = TestKafka.uniqueName("bench-dead-letter");
        kafka.createTopics(2, observations, deadLetter);
        String keyspace = TestCassandra.uniqueKeyspace("bench");
        String yaml =
                "kafka: {bootstrapServers: '"
                        + servers.kafkaBootstrap()
                        + "', properties: {compression.type: "
                        + compression
                        + "}}\n"
                        + "schemaRegistry: {url: '"
                        + servers.registryUrl()
                        + "'}\n"
                        + "cassandra: {contactPoints: ['"
                        + servers.cassandraContact()
                        + "'], keyspace: "
                        + keyspace
                        + "}\n"
                        + "checkpoints: {interval: 1s}\n"
                        + "topics: {raw: "
                        + raw
                        + ", observations: "
                        + observations
                        + ", deadLetter: "
                        + deadLetter
                        + "}\n"
                        + "consumerGroup: "
                        + TestKafka.uniqueName("bench")
                        + "\n"
                        + "transactionalIdPrefix: "
                        + TestKafka.uniqueName("bench")
                        + "\n"
                        + "storage: {enabled: "
                        + cassandra
                        + "}\n";
        IngestConfig config =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        IngestConfig.class,
                        "bench");
        if (cassandra) {
            RawTable.applySchema(config.cassandra());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        JobEnvironment.configure(env, config.checkpoints());
        IngestNormalizeJob.defineWorkflow(
                env,
                config,
                IngestNormalizeJob.boundedRawSource(config),
                IngestSinks.production(config));
        String name =
                cassandra
                        ? "job, parallelism 2, Kafka + Cassandra sinks"
                        : "job, parallelism 2, Kafka sinks";
        say("running: %s", name);
        long start = cluster.run(env, name);
        double seconds = seconds(start);
        long endMillis = System.currentTimeMillis();
        List<ConsumerRecord<byte[], byte[]>> committed =
                kafka.readCommitted(observations, Duration.ofMinutes(2));
        long written = committed.size();
        // Observations carry the time the job wrote them: first to last is the job's processing
        // time, without the start-up before it and the wait for the final checkpoint after it.
        long firstWritten = Long.MAX_VALUE;
        long lastWritten = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> record : committed) {
            firstWritten = Math.min(firstWritten, record.timestamp());
            lastWritten = Math.max(lastWritten, record.timestamp());
        }
        committed = null;
        double processingSeconds = Math.max(1, lastWritten - firstWritten) / 1000.0;
        // Where the rest of the wall time went: before the first observation (deployment, sources
        // and producers starting) and after the last (the final checkpoint and commit).
        double beforeFirst = (firstWritten - (endMillis - seconds * 1000)) / 1000.0;
        double afterLast = (endMillis - lastWritten) / 1000.0;
        if (written != points) {
            throw new IllegalStateException(
                    name
                            + " committed "
                            + written
                            + " observations (uncommitted included: "
                            + kafka.countAll(observations)
                            + ") and "
                            + kafka.readCommitted(deadLetter, Duration.ofMinutes(2)).size()
                            + " dead letters; expected "
                            + points
                            + " observations");
        }
        if (cassandra) {
            try (CqlSession session = TestCassandra.session(servers.cassandraContact())) {
                long rows = RawRows.count(session, keyspace);
                if (rows != points) {
                    throw new IllegalStateException(
                            name + " stored " + rows + " rows, expected " + points);
                }
                session.execute(
                        SimpleStatement.newInstance("DROP KEYSPACE " + keyspace)
                                .setTimeout(Duration.ofMinutes(1)));
            }
        }
        say(
                "%s: %,d points in %.2f s = %,.0f points/s; first to last observation written %.2f"
                        + " s = %,.0f points/s (%.2f s before the first, %.2f s after the last;"
                        + " verified: %,d observations committed%s)",
                name,
                points,
                seconds,
                points / seconds,
                processingSeconds,
                points / processingSeconds,
                beforeFirst,
                afterLast,
                written,
                cassandra ? ", same number of rows" : "");
        return new Result(name, points, seconds, processingSeconds);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
