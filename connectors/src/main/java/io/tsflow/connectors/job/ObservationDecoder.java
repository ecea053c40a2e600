package io.tsflow.connectors.job;

import io.tsflow.common.RejectReason;
import io.tsflow.connectors.kafka.RawRecord;
import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads records of topic {@code observations} for the jobs downstream of ingest. One that does not
 * decode goes to the dead-letter output with its bytes and the name of the job that met it, never
 * dropped; an unreachable registry fails the job (it restarts and retries) instead.
 */
public class ObservationDecoder extends ProcessFunction<RawRecord, Observation> {

    private static final long serialVersionUID = 1L;
    private static final int MAX_ORIGINAL_BYTES = 256 * 1024;

    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("undecodable") {};

    private final RegistrySettings registry;
    private final String job;
    private transient ConfluentAvroDecoder<Observation> decoder;
    private transient Counter undecodable;

    /** {@code job} names the reading job in each dead letter ({@code rollup}, {@code alerts}). */
    public ObservationDecoder(RegistrySettings registry, String job) {
        this.registry = registry;
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder =
                new ConfluentAvroDecoder<>(
                        new SchemaRegistryClient(registry), Observation.getClassSchema());
        undecodable =
                getRuntimeContext().getMetricGroup().addGroup("tsflow").counter("undecodable");
    }

    @Override
    public void processElement(RawRecord record, Context context, Collector<Observation> out)
            throws Exception {
        byte[] bytes = record.value == null ? new byte[0] : record.value;
        try {
            out.collect(decoder.decode(bytes));
        } catch (ConfluentAvroDecoder.DecodeException e) {
            undecodable.inc();
            RejectReason reason =
                    e.failure() == ConfluentAvroDecoder.Failure.UNKNOWN_SCHEMA_ID
                            ? RejectReason.UNKNOWN_SCHEMA_ID
                            : RejectReason.MALFORMED_AVRO;
            boolean cut = bytes.length > MAX_ORIGINAL_BYTES;
            context.output(
                    REJECTED,
                    new Rejected(
                            reason.name(),
                            e.getMessage(),
                            job,
                            record.topic,
                            record.partition,
                            record.offset,
                            record.timestampMillis,
                            "avro",
                            null,
                            null,
                            null,
                            ByteBuffer.wrap(cut ? Arrays.copyOf(bytes, MAX_ORIGINAL_BYTES) : bytes),
                            bytes.length,
                            cut));
        }
    }
}
