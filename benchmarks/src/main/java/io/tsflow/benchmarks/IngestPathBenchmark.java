package io.tsflow.benchmarks;

import io.tsflow.common.types.ValueTypes;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.ConfluentAvroEncoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.format.AvroMessageParser;
import io.tsflow.ingest.pipeline.RecordProcessor;
import io.tsflow.schema.Observation;
import io.tsflow.schema.RawMessage;
import io.tsflow.schema.Rejected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-point path of ingest-normalize (detect, parse, normalize, validate, build the
 * observation, encode it in the Confluent wire format) beside the hand-written loop on the same
 * records. Scores are points per second.
 *
 * <p>Run: {@code ./tsflow bench jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
public class IngestPathBenchmark {

    private static final int RECORDS = 1000;
    private static final int POINTS = RECORDS * Workload.POINTS_PER_RECORD;

    private List<UndecodedRecord> records;
    private RecordProcessor processor;
    private ConfluentAvroEncoder<Observation> encoder;
    private HandWrittenIngestLoop loop;

    @Setup
    public void setUp() {
        List<byte[]> values = Workload.records(RECORDS, 100);
        records =
                values.stream()
                        .map(
                                v ->
                                        new UndecodedRecord(
                                                "raw", 0, 0, Workload.RECORD_TIME_MILLIS, null, v))
                        .toList();
        // JSON input never reaches the registry; the decoder is only there for Avro records.
        SchemaRegistryClient unused =
                new SchemaRegistryClient(RegistrySettings.of("http://127.0.0.1:9"));
        processor =
                new RecordProcessor(
                        IngestRules.defaults(),
                        ValueTypes.discover(getClass().getClassLoader()),
                        new AvroMessageParser(
                                new ConfluentAvroDecoder<>(unused, RawMessage.getClassSchema())));
        encoder = new ConfluentAvroEncoder<>(1, Observation.getClassSchema());
        loop = new HandWrittenIngestLoop();
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public void tsflowRecordProcessor(Blackhole blackhole) throws IOException {
        RecordProcessor.Output output =
                new RecordProcessor.Output() {
                    @Override
                    public void observation(Observation observation) {
                        try {
                            blackhole.consume(encoder.encode(observation));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void rejected(Rejected rejected, int pointsLost) {
                        throw new IllegalStateException("benchmark input rejected: " + rejected);
                    }
                };
        for (UndecodedRecord record : records) {
            processor.process(record, output);
        }
    }

    @Benchmark
    @OperationsPerInvocation(POINTS)
    public int handWrittenLoop() throws IOException {
        int accepted = 0;
        for (UndecodedRecord record : records) {
            accepted += loop.process(record.value, record.timestampMillis);
        }
        return accepted;
    }
}
