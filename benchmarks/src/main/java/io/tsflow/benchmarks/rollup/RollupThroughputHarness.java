package io.tsflow.benchmarks.rollup;

import io.tsflow.benchmarks.BenchmarkCluster;
import io.tsflow.benchmarks.BenchmarkJobRunner;
import io.tsflow.benchmarks.EndOfOutputClock;
import io.tsflow.benchmarks.HarnessOptions;
import io.tsflow.common.time.SeriesTiming;
import io.tsflow.rollup.pipeline.RollupLevel;
import io.tsflow.rollup.pipeline.RollupPipeline;
import io.tsflow.rollup.rules.RollupRules;
import io.tsflow.schema.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the rollup graph (levels 1m and 1h, as {@code RollupPipeline} builds them for the
 * job) at parallelism 2 on a MiniCluster, for several numbers of distinct series, with the heap
 * (hashmap) and the RocksDB state backend, checkpointing every 10 s. Beside each, in the same JVM
 * and run, the hand-written single-threaded loop over the same readings: the baseline.
 *
 * <p>The readings are generated in the source ({@link SensorReadings}), so no Kafka or Avro
 * decoding is measured: this is the cost of bucketing, state and timers. Run: {@code ./tsflow bench
 * rollup} (options: {@code --series=1000,10000 --backends=hashmap --steps=20}).
 */
public final class RollupThroughputHarness {

    private static final List<RollupLevel> LEVELS =
            List.of(
                    RollupLevel.of("1m", Duration.ofMinutes(1)),
                    RollupLevel.of("1h", Duration.ofMinutes(5)));
    private static final SeriesTiming TIMING =
            new SeriesTiming(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofDays(1));

    private RollupThroughputHarness() {}

    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parse(args);
        List<Integer> seriesCounts =
                options.numbers("series", List.of(1_000, 10_000, 100_000, 1_000_000));
        List<String> backends = options.texts("backends", List.of("hashmap", "rocksdb"));
        long minPoints = options.number("points", 2_000_000);
        int minSteps = (int) options.number("steps", 4);

        // Warm the JIT on both sides first, so that the first configuration is not penalized.
        BenchmarkJobRunner runner = BenchmarkJobRunner.start();
        HandWrittenRollupLoop.run(new SensorReadings(1_000, 500_000), 500_000);
        runJob(runner, 1_000, 200_000, "hashmap");

        List<String> rows = new ArrayList<>();
        for (int series : seriesCounts) {
            long points = Math.max(minPoints, (long) series * minSteps);
            SensorReadings readings = new SensorReadings(series, points);
            long loopStart = System.nanoTime();
            long buckets = HandWrittenRollupLoop.run(readings, points);
            double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
            double loopRate = points / loopSeconds;
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| %,d | %,d | hand-written loop, 1 thread | | | | %.2f s | %,.0f |"
                                    + " 1.00 |",
                            series,
                            points,
                            loopSeconds,
                            loopRate));
            System.out.printf(
                    Locale.ROOT,
                    "[bench] %,d series, %,d points: loop %.2f s (%,.0f/s, %,d buckets)%n",
                    series,
                    points,
                    loopSeconds,
                    loopRate,
                    buckets);
            for (String backend : backends) {
                Timing job = runJob(runner, series, points, backend);
                String row =
                        String.format(
                                Locale.ROOT,
                                "| %,d | %,d | job, parallelism 2, %s | %.2f s | %,.0f | %.2f |"
                                        + " %.2f s | %,.0f | %.2f |",
                                series,
                                points,
                                backend,
                                job.wallSeconds(),
                                points / job.wallSeconds(),
                                points / job.wallSeconds() / loopRate,
                                job.outputSeconds(),
                                points / job.outputSeconds(),
                                points / job.outputSeconds() / loopRate);
                rows.add(row);
                System.out.println("[bench] " + row);
            }
        }
        runner.close();
        System.out.println();
        System.out.println(
                "| series | points | run | wall time | observations/s | vs. loop | to the last"
                        + " output | observations/s | vs. loop |");
        System.out.println("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
    }

    /**
     * A job's wall time (submission to end, the final checkpoint included) and its time to the last
     * output (submission to the moment its sink saw the end of its input).
     */
    private record Timing(double wallSeconds, double outputSeconds) {}

    /** Runs the rollup over the readings on the harness's cluster. */
    private static Timing runJob(BenchmarkJobRunner runner, int series, long points, String backend)
            throws Exception {
        StreamExecutionEnvironment env = BenchmarkCluster.environment(backend);

        // The rollup keeps each series' time itself: its input carries no watermark, as in the job.
        DataStream<Observation> readings =
                env.fromSource(
                        new DataGeneratorSource<>(
                                new SensorReadings(series, points),
                                points,
                                new AvroTypeInfo<>(Observation.class)),
                        WatermarkStrategy.noWatermarks(),
                        "readings");
        RollupPipeline.Outputs outputs =
                RollupPipeline.define(readings, LEVELS, new RollupRules(List.of()), TIMING);
        outputs.aggregations().sinkTo(new EndOfOutputClock<>());
        outputs.tooLate().sinkTo(new DiscardingSink<>());
        EndOfOutputClock.reset();
        long submitted = runner.run(env, "rollup-bench-" + series + "-" + backend);
        long ended = System.nanoTime();
        return new Timing(
                (ended - submitted) / 1e9, (EndOfOutputClock.endNanos() - submitted) / 1e9);
    }
}
