package io.tsflow.benchmarks.derived;

import io.tsflow.benchmarks.BenchmarkCluster;
import io.tsflow.benchmarks.BenchmarkJobRunner;
import io.tsflow.benchmarks.EndOfOutputClock;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.derived.pipeline.DerivedPipeline;
import io.tsflow.derived.rules.DerivedRule;
import io.tsflow.schema.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The derived-series benchmark (issue 5): 100 rules over 10 k series ({@link FleetReadings}), each
 * rule {@code sum(x) * 2 + 1} of one metric by site (10 derived series per rule, 10 s step, 30 s
 * lookback), as {@code DerivedPipeline} builds it for the job, at parallelism 2 with the heap
 * backend and checkpoints every 10 s, beside the hand-written loop in the same JVM and run. Run:
 * {@code ./tsflow bench derived} (options: {@code --points=2000000 --rules=100}).
 */
public final class DerivedThroughputHarness {

    private DerivedThroughputHarness() {}

    public static void main(String[] args) throws Exception {
        long points = 2_000_000;
        int rules = 100;
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--points=")) {
                points = Long.parseLong(arg.substring("--points=".length()));
            } else if (arg.startsWith("--rules=")) {
                rules = Integer.parseInt(arg.substring("--rules=".length()));
            }
        }
        int seriesPerMetric = 10_000 / rules;
        // Warm both sides.
        HandWrittenDerivedLoop.run(
                new FleetReadings(rules, seriesPerMetric, 300_000), 300_000, rules);
        BenchmarkJobRunner runner = BenchmarkJobRunner.start();
        runJob(runner, rules, seriesPerMetric, 300_000);

        List<String> rows = new ArrayList<>();
        long start = System.nanoTime();
        long loopDerived =
                HandWrittenDerivedLoop.run(
                        new FleetReadings(rules, seriesPerMetric, points), points, rules);
        double loopRate = points / ((System.nanoTime() - start) / 1e9);
        rows.add(row("hand-written loop, 1 thread", loopRate, 1.0));
        System.out.printf(
                Locale.ROOT, "[bench] loop: %,.0f/s (%,d derived points)%n", loopRate, loopDerived);
        double jobRate = runJob(runner, rules, seriesPerMetric, points);
        runner.close();
        rows.add(row("job, parallelism 2, hashmap", jobRate, jobRate / loopRate));
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%d rules over %,d series, %,d readings:%n%n",
                rules,
                rules * seriesPerMetric,
                points);
        System.out.println("| run | input observations/s | vs. loop |");
        System.out.println("| --- | ---: | ---: |");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    private static String row(String run, double rate, double ratio) {
        return String.format(Locale.ROOT, "| %s | %,.0f | %.2f |", run, rate, ratio);
    }

    static List<DerivedRule> rules(int count) throws Exception {
        List<DerivedRule> rules = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            DerivedRule rule =
                    ConfigLoader.mapper()
                            .readValue(
                                    "{name: bench-"
                                            + r
                                            + ", metric: bench.d"
                                            + r
                                            + ", by: [site], step: 10s, lookback: 30s,"
                                            + " inputs: {x: {metric: 'bench\\.m"
                                            + r
                                            + "'}}, expression: 'sum(x) * 2 + 1'}",
                                    DerivedRule.class);
            rule.validate("rules[" + r + "]");
            rules.add(rule);
        }
        return rules;
    }

    private static double runJob(
            BenchmarkJobRunner runner, int rules, int seriesPerMetric, long points)
            throws Exception {
        StreamExecutionEnvironment env = BenchmarkCluster.environment("hashmap");
        // Each derived series keeps time from its inputs': no watermark, as in the job. An idle
        // delay of 1 s (every series reports within milliseconds of processing time here) lets the
        // derived series leave their start-up wait early and compute their steps as the input
        // flows, as in a long-running job, instead of all at the end of this short run.
        var readings =
                env.fromSource(
                        new DataGeneratorSource<>(
                                new FleetReadings(rules, seriesPerMetric, points),
                                points,
                                new AvroTypeInfo<>(Observation.class)),
                        WatermarkStrategy.noWatermarks(),
                        "readings");
        DerivedPipeline.define(
                        readings,
                        rules(rules),
                        new SeriesTiming(
                                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofDays(1)))
                .derived()
                .sinkTo(new EndOfOutputClock<>());
        EndOfOutputClock.reset();
        long submitted = runner.run(env, "derived-bench");
        double rate = points / ((System.nanoTime() - submitted) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "[bench] job: %,.0f/s (%,d derived points)%n",
                rate,
                EndOfOutputClock.records());
        return rate;
    }
}
