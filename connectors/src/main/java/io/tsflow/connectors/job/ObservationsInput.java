package io.tsflow.connectors.job;

import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.kafka.RawRecord;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How every job downstream of ingest reads topic {@code observations}: decoded from the wire format
 * (what does not decode goes to {@code deadLetters}), then timed by the points' event time with
 * bounded disorder, idle partitions excluded from the watermark. Operator uids, the same in each
 * job: {@code observations-source}, {@code decode-observations}, {@code event-time} and {@code
 * <job>-dead-letter-sink}.
 */
public final class ObservationsInput {

    private ObservationsInput() {}

    public static DataStream<Observation> read(
            StreamExecutionEnvironment env,
            Source<RawRecord, ?, ?> source,
            RegistrySettings registry,
            String job,
            Duration outOfOrderness,
            Duration idleness,
            Sink<Rejected> deadLetters) {
        SingleOutputStreamOperator<Observation> decoded =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "observations")
                        .uid("observations-source")
                        .process(new ObservationDecoder(registry, job))
                        .uid("decode-observations")
                        .name("decode observations");
        decoded.getSideOutput(ObservationDecoder.REJECTED)
                .sinkTo(deadLetters)
                .uid(job + "-dead-letter-sink")
                .name("dead letters");
        return decoded.assignTimestampsAndWatermarks(
                        WatermarkStrategy.<Observation>forBoundedOutOfOrderness(outOfOrderness)
                                .withTimestampAssigner(
                                        (point, previous) -> point.getTimestampMicros() / 1000)
                                .withIdleness(idleness))
                .uid("event-time")
                .name("event time");
    }

    /**
     * Where a job reading observations sends what it rejects (undecodable records, points too
     * late): topic {@code topic}, exactly once, keyed by metric.
     */
    public static Sink<Rejected> rejectedSink(
            KafkaSettings kafka, RegistrySettings registry, String topic, String transactionalId) {
        return KafkaConnectors.exactlyOnceAvroSink(
                kafka, registry, topic, Rejected.class, Rejected::getMetric, transactionalId);
    }
}
