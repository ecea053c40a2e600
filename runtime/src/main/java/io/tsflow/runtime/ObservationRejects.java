package io.tsflow.runtime;

import io.tsflow.common.RejectReason;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Dead-letter records of the jobs that read topic {@code observations}. The original is cut to
 * {@link #MAX_ORIGINAL_BYTES}, so that a dead letter always fits a Kafka record whatever it
 * carries.
 */
public final class ObservationRejects {

    public static final int MAX_ORIGINAL_BYTES = 256 * 1024;

    private static final int MAX_METRIC_CHARS = 512;

    private ObservationRejects() {}

    /** A record of topic {@code observations} that could not be taken as an observation. */
    public static Rejected ofRecord(
            ConsumerRecord<byte[], byte[]> record,
            String job,
            RejectReason reason,
            String message,
            String metric) {
        byte[] bytes = record.value() == null ? new byte[0] : record.value();
        return build(
                reason,
                message,
                job,
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                "avro",
                metric,
                bytes,
                null);
    }

    /**
     * An observation a job's operator refused or failed on ({@code failure}, may be null). Its
     * position on the topic is no longer known there: the original is the observation as Avro JSON,
     * which can be inspected and produced again.
     */
    public static Rejected ofPoint(
            Observation point, String job, RejectReason reason, String message, Throwable failure) {
        return unplaced(
                reason,
                message,
                job,
                Math.floorDiv(point.getTimestampMicros(), 1000L),
                "avro-json",
                point.getMetric(),
                point.toString(),
                failure);
    }

    /**
     * A value a job derived from an observation (one input point of a derived series) that its
     * operator failed on: the original is {@code description}, the value as the operator saw it.
     */
    public static Rejected ofValue(
            String seriesKey,
            long eventMillis,
            String description,
            String job,
            RejectReason reason,
            String message,
            Throwable failure) {
        int brace = seriesKey.indexOf('{');
        return unplaced(
                reason,
                message,
                job,
                eventMillis,
                "text",
                brace < 0 ? seriesKey : seriesKey.substring(0, brace),
                description,
                failure);
    }

    /** A dead letter whose position on its topic is no longer known where it is refused. */
    private static Rejected unplaced(
            RejectReason reason,
            String message,
            String job,
            long eventMillis,
            String format,
            String metric,
            String original,
            Throwable failure) {
        return build(
                reason,
                message,
                job,
                "",
                -1,
                -1L,
                eventMillis,
                format,
                metric,
                original.getBytes(StandardCharsets.UTF_8),
                failure == null ? null : failure.getClass().getName());
    }

    /** The message of a {@code PROCESSING_FAILED} dead letter: the exception and where it arose. */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getName());
        if (failure.getMessage() != null) {
            text.append(": ")
                    .append(failure.getMessage(), 0, Math.min(1000, failure.getMessage().length()));
        }
        StackTraceElement[] trace = failure.getStackTrace();
        if (trace.length > 0) {
            text.append(" at ").append(trace[0]);
        }
        return text.toString();
    }

    private static Rejected build(
            RejectReason reason,
            String message,
            String job,
            String topic,
            int partition,
            long offset,
            long timestampMillis,
            String format,
            String metric,
            byte[] original,
            String exceptionClass) {
        boolean cut = original.length > MAX_ORIGINAL_BYTES;
        return new Rejected(
                reason.name(),
                message,
                job,
                topic,
                partition,
                offset,
                timestampMillis,
                format,
                metric == null || metric.length() <= MAX_METRIC_CHARS
                        ? metric
                        : metric.substring(0, MAX_METRIC_CHARS),
                null,
                null,
                ByteBuffer.wrap(cut ? Arrays.copyOf(original, MAX_ORIGINAL_BYTES) : original),
                original.length,
                cut,
                exceptionClass);
    }
}
