package io.tsflow.runtime;

import io.tsflow.connectors.kafka.KafkaConnectors;
import io.tsflow.connectors.kafka.KafkaSettings;
import io.tsflow.connectors.registry.RegistrySettings;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * How every job downstream of ingest reads topic {@code observations}: decoded in the source (see
 * {@link ObservationDeserializer}), what does not decode sent to {@code deadLetters}. A job that
 * needs a watermark gets one generated in the source per Kafka partition, so a consumer that reads
 * one partition ahead of another (a backlog) does not move it past the slower partition's points.
 * Operator uids, the same in each job: {@code observations-source}, {@code split-dead-letters} and
 * {@code <job>-dead-letter-sink}.
 */
public final class ObservationsInput {

    private static final OutputTag<Rejected> REJECTED = new OutputTag<>("undecodable") {};

    private ObservationsInput() {}

    /** The watermark a job asks of its input. */
    public record Timing(Duration outOfOrderness, Duration idleness) {

        /** For a job that keeps time itself: only the end of a bounded input is signalled. */
        public static Timing none() {
            return new Timing(null, null);
        }

        WatermarkStrategy<DecodedObservation> strategy() {
            if (outOfOrderness == null) {
                return WatermarkStrategy.noWatermarks();
            }
            // A point stamped ahead of the wall clock (a gateway whose clock runs years ahead,
            // written by a producer other than ingest) cannot say how far the job has caught up:
            // it moves event time no further than now, so one such gateway cannot carry a
            // partition's watermark into the future.
            return WatermarkStrategy.<DecodedObservation>forBoundedOutOfOrderness(outOfOrderness)
                    .withTimestampAssigner(
                            (record, previous) ->
                                    Math.min(record.eventTimeMillis(), System.currentTimeMillis()))
                    .withIdleness(idleness);
        }
    }

    /**
     * A job's production source: the topic it reads, from the committed offsets of its group;
     * {@code job} names it in dead letters.
     */
    public static KafkaSource<DecodedObservation> source(JobConfig config, String job) {
        return source(
                config.kafka(),
                config.schemaRegistry(),
                config.topics().input(),
                config.consumerGroup(),
                job);
    }

    /** An unbounded source of topic {@code topic}, from the committed offsets of the group. */
    public static KafkaSource<DecodedObservation> source(
            KafkaSettings kafka,
            RegistrySettings registry,
            String topic,
            String groupId,
            String job) {
        return KafkaConnectors.source(
                kafka, topic, groupId, new ObservationDeserializer(registry, job));
    }

    /**
     * A source that stops at the offsets that are latest when the job starts (tests, backfills).
     */
    public static KafkaSource<DecodedObservation> boundedSource(
            KafkaSettings kafka,
            RegistrySettings registry,
            String topic,
            String groupId,
            String job) {
        return KafkaConnectors.boundedSource(
                kafka, topic, groupId, new ObservationDeserializer(registry, job));
    }

    /** The observations a job reads, and the records of its input it refused. */
    public record Input(DataStream<Observation> observations, DataStream<Rejected> refused) {

        /**
         * Sends the refused records, and whatever the job's own operators refused ({@code others}),
         * to {@code deadLetters}: one sink per job, uid {@code <job>-dead-letter-sink}.
         */
        @SafeVarargs
        public final void sinkDeadLetters(
                String job, Sink<Rejected> deadLetters, DataStream<Rejected>... others) {
            sinkDeadLetters(job, deadLetters, List.of(others));
        }

        /** As above, with the job's refusals in a list. */
        @SuppressWarnings("unchecked")
        public void sinkDeadLetters(
                String job, Sink<Rejected> deadLetters, List<DataStream<Rejected>> others) {
            refused.union(others.toArray(DataStream[]::new))
                    .sinkTo(deadLetters)
                    .uid(job + "-dead-letter-sink")
                    .name("dead letters");
        }
    }

    /**
     * Reads {@code source}; the caller sends {@link Input#refused()} to its dead-letter sink with
     * {@link Input#sinkDeadLetters}.
     */
    public static Input read(
            StreamExecutionEnvironment env,
            Source<DecodedObservation, ?, ?> source,
            Timing timing) {
        SingleOutputStreamOperator<Observation> decoded =
                env.fromSource(source, timing.strategy(), "observations")
                        .uid("observations-source")
                        .process(new SplitDeadLetters())
                        .uid("split-dead-letters")
                        .name("split dead letters");
        return new Input(decoded, decoded.getSideOutput(REJECTED));
    }

    /**
     * Observations to the main output, dead letters to the side. Metric {@code undecodable}: every
     * record refused by the source (not decodable, or refused by {@link ObservationCheck}).
     */
    private static final class SplitDeadLetters
            extends ProcessFunction<DecodedObservation, Observation> {

        private static final long serialVersionUID = 1L;

        private transient Counter undecodable;

        @Override
        public void open(OpenContext openContext) {
            undecodable =
                    getRuntimeContext().getMetricGroup().addGroup("tsflow").counter("undecodable");
        }

        @Override
        public void processElement(
                DecodedObservation record, Context context, Collector<Observation> out) {
            if (record.observation != null) {
                out.collect(record.observation);
            } else {
                undecodable.inc();
                context.output(REJECTED, record.rejected);
            }
        }
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
