package io.tsflow.ingest.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.common.types.InvalidValueException;
import io.tsflow.common.types.ValueLimits;
import io.tsflow.common.types.ValueType;
import io.tsflow.common.types.ValueTypes;
import io.tsflow.connectors.kafka.UndecodedRecord;
import io.tsflow.ingest.config.IngestRules;
import io.tsflow.ingest.config.TimestampRules;
import io.tsflow.ingest.format.AvroMessageParser;
import io.tsflow.ingest.format.FormatDetector;
import io.tsflow.ingest.format.GraphiteParser;
import io.tsflow.ingest.format.InfluxLineParser;
import io.tsflow.ingest.format.InputFormat;
import io.tsflow.ingest.format.JsonMessageParser;
import io.tsflow.ingest.format.ParsedMessage;
import io.tsflow.ingest.format.ParsedPoint;
import io.tsflow.ingest.format.RecordRejectedException;
import io.tsflow.ingest.format.StrictUtf8Text;
import io.tsflow.ingest.normalize.NewSeriesGate;
import io.tsflow.ingest.normalize.SeriesIdentity;
import io.tsflow.ingest.normalize.SeriesNormalizer;
import io.tsflow.runtime.DownstreamFailure;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.schema.Rejected;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns one raw record into observations and dead-letter records: detect the format, parse, give
 * each message's series its canonical identity, then check each point's timestamp and value. Every
 * point of the record ends up either as an observation or inside exactly one dead-letter record.
 * Plain Java, no Flink, so it is tested directly and benchmarked without a cluster.
 */
public final class RecordProcessor {

    /** Where results go. {@code pointsLost} is how many points a dead-letter record stands for. */
    public interface Output {
        void observation(Observation observation);

        void rejected(Rejected rejected, int pointsLost);
    }

    /** The largest record timestamp (ms) whose microseconds fit a long. */
    private static final long MAX_RECORD_MILLIS = Long.MAX_VALUE / 1_000L;

    private final IngestRules rules;
    private final LongSupplier wallClock;
    private final NewSeriesGate newSeries;
    private final ValueTypes types;
    private final ValueLimits valueLimits;
    private final SeriesNormalizer normalizer;
    private final JsonMessageParser json;
    private final AvroMessageParser avro;
    private final GraphiteParser graphite = new GraphiteParser();
    private final InfluxLineParser influx;
    private final StrictUtf8Text text = new StrictUtf8Text();
    private final DeadLetters deadLetters;
    private final long maxFutureSkewMicros;
    private final long oldestMicros;
    private final long maxAgeMicros;

    public RecordProcessor(IngestRules rules, ValueTypes types, AvroMessageParser avro) {
        this(rules, types, avro, System::currentTimeMillis);
    }

    /** With the wall clock given, for tests. */
    RecordProcessor(
            IngestRules rules, ValueTypes types, AvroMessageParser avro, LongSupplier wallClock) {
        this(rules, types, avro, wallClock, null);
    }

    /**
     * With {@code newSeries} deciding whether a series may appear (null: any may); the gate is
     * asked once per message, with the wall clock.
     */
    public RecordProcessor(
            IngestRules rules,
            ValueTypes types,
            AvroMessageParser avro,
            LongSupplier wallClock,
            NewSeriesGate newSeries) {
        this.wallClock = wallClock;
        this.newSeries = newSeries;
        this.rules = rules;
        this.types = types;
        this.valueLimits =
                new ValueLimits(rules.limits().maxTextBytes(), rules.limits().maxBinaryBytes());
        this.normalizer = new SeriesNormalizer(rules);
        this.json = new JsonMessageParser(rules.limits(), rules.timestamps().epochUnit());
        this.avro = avro;
        this.influx =
                new InfluxLineParser(
                        rules.influxFieldSeparator(),
                        TimestampRules.microsPerUnit(rules.timestamps().influxPrecision()));
        this.deadLetters = new DeadLetters(rules.limits().maxDeadLetterOriginalBytes());
        TimestampRules timestamps = rules.timestamps();
        this.maxFutureSkewMicros = timestamps.maxFutureSkew().toNanos() / 1_000;
        this.oldestMicros = io.tsflow.common.time.Micros.of(timestamps.oldest());
        this.maxAgeMicros =
                timestamps.maxAge() == null
                        ? Long.MAX_VALUE
                        : timestamps.maxAge().toNanos() / 1_000;
    }

    /**
     * Processes one record. Throws only when the schema registry is unreachable: that is not the
     * record's fault, so the job fails and retries instead of dead-lettering it.
     */
    public void process(UndecodedRecord record, Output downstream) throws IOException {
        Output out = marking(downstream);
        String format = null;
        try {
            if (record.value == null || record.value.length == 0) {
                throw new RecordRejectedException(
                        RejectReason.EMPTY_RECORD, "the record has no value");
            }
            if (record.value.length > rules.limits().maxRecordBytes()) {
                throw new RecordRejectedException(
                        RejectReason.RECORD_TOO_LARGE,
                        "the record has "
                                + record.value.length
                                + " bytes, more than the limit of "
                                + rules.limits().maxRecordBytes());
            }
            if (record.timestampMillis > MAX_RECORD_MILLIS
                    || record.timestampMillis < -MAX_RECORD_MILLIS) {
                throw new RecordRejectedException(
                        RejectReason.INVALID_TIMESTAMP,
                        "the Kafka record timestamp "
                                + record.timestampMillis
                                + " ms is beyond the microsecond range");
            }
            InputFormat detected = FormatDetector.detect(record.formatHeader, record.value);
            format = detected.headerValue();
            List<ParsedMessage> messages = parse(detected, record);
            for (ParsedMessage message : messages) {
                process(record, format, message, out);
            }
        } catch (RecordRejectedException e) {
            out.rejected(deadLetters.record(record, format, e.reason(), e.getMessage()), 0);
        } catch (DownstreamFailure e) {
            throw e.original();
        } catch (RuntimeException e) {
            // A case no rule foresaw: the record is dead-lettered whole, the job goes on. Points
            // of it emitted before the failure are emitted again if it is re-sent, which the
            // stores treat as the same points.
            Rejected rejected =
                    deadLetters.record(
                            record,
                            format,
                            RejectReason.PROCESSING_FAILED,
                            e.getClass().getName()
                                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            rejected.setExceptionClass(e.getClass().getName());
            downstream.rejected(rejected, 0);
        }
    }

    /** {@code out}, with what it throws marked as a failure downstream, not the record's. */
    private static Output marking(Output out) {
        return new Output() {
            @Override
            public void observation(Observation observation) {
                DownstreamFailure.marking(() -> out.observation(observation));
            }

            @Override
            public void rejected(Rejected rejected, int pointsLost) {
                DownstreamFailure.marking(() -> out.rejected(rejected, pointsLost));
            }
        };
    }

    private List<ParsedMessage> parse(InputFormat format, UndecodedRecord record)
            throws RecordRejectedException, IOException {
        return switch (format) {
            case AVRO -> avro.parse(record.value);
            case JSON -> json.parse(record.value, text);
            case GRAPHITE -> nonEmpty(graphite.parse(text.decode(record.value)));
            case INFLUX ->
                    nonEmpty(
                            influx.parse(
                                    text.decode(record.value), record.timestampMillis * 1_000L));
        };
    }

    private static List<ParsedMessage> nonEmpty(List<ParsedMessage> messages)
            throws RecordRejectedException {
        if (messages.isEmpty()) {
            throw new RecordRejectedException(RejectReason.NO_POINTS, "the record holds no lines");
        }
        return messages;
    }

    private void process(UndecodedRecord record, String format, ParsedMessage message, Output out) {
        if (message.error() != null) {
            out.rejected(
                    deadLetters.message(
                            record, format, message, message.error(), message.errorMessage()),
                    message.points().size());
            return;
        }
        SeriesIdentity series;
        ValueType type;
        try {
            series = normalizer.identify(message.metric(), message.tags());
            type =
                    types.find(message.type())
                            .orElseThrow(
                                    () ->
                                            new InvalidValueException(
                                                    RejectReason.UNKNOWN_TYPE,
                                                    "unknown type '"
                                                            + Abbreviation.abbreviate(
                                                                    message.type(), 60)
                                                            + "'; known: "
                                                            + types.names()));
        } catch (InvalidValueException e) {
            out.rejected(
                    deadLetters.message(record, format, message, e.reason(), e.getMessage()),
                    message.points().size());
            return;
        }
        // The record's time, but never later than the wall clock: a gateway whose clock runs years
        // ahead stamps its records as wrongly as its points, and must not pass the future check.
        // Replays stay deterministic: a record stamped in the past still bounds its points alone.
        if (newSeries != null && !newSeries.admit(series.seriesKey(), wallClock.getAsLong())) {
            out.rejected(
                    deadLetters.message(
                            record,
                            format,
                            message,
                            RejectReason.CARDINALITY_LIMIT,
                            "series "
                                    + Abbreviation.abbreviate(series.seriesKey(), 60)
                                    + " is new, and this ingest subtask already let through "
                                    + rules.newSeries().perMinute()
                                    + " new series in the last minute"
                                    + " (ingest.newSeries.perMinute)"),
                    message.points().size());
            return;
        }
        long referenceMicros =
                Math.min(record.timestampMillis, wallClock.getAsLong())
                        * 1_000L; // in range: checked in process
        for (ParsedPoint point : message.points()) {
            try {
                if (point.error() != null) {
                    throw new InvalidValueException(point.error(), point.errorMessage());
                }
                checkTimestamp(point.timestampMicros(), referenceMicros);
                Object value =
                        message.jsonValues()
                                ? type.fromJson((JsonNode) point.value(), valueLimits)
                                : type.fromTyped(point.value(), valueLimits);
                out.observation(
                        new Observation(
                                series.seriesKey(),
                                series.metric(),
                                series.tags(),
                                type.name(),
                                point.timestampMicros(),
                                value,
                                Origin.MEASURED,
                                null));
            } catch (InvalidValueException e) {
                out.rejected(
                        deadLetters.point(
                                record, format, message, point, e.reason(), e.getMessage()),
                        1);
            }
        }
    }

    private void checkTimestamp(long micros, long referenceMicros) throws InvalidValueException {
        if (micros - referenceMicros > maxFutureSkewMicros) {
            throw new InvalidValueException(
                    RejectReason.TIMESTAMP_IN_FUTURE,
                    "timestamp "
                            + io.tsflow.common.time.Micros.toInstant(micros)
                            + " is more than "
                            + rules.timestamps().maxFutureSkew()
                            + " after the record's time (or the wall clock, if earlier) "
                            + io.tsflow.common.time.Micros.toInstant(referenceMicros));
        }
        if (micros < oldestMicros) {
            throw new InvalidValueException(
                    RejectReason.TIMESTAMP_TOO_OLD,
                    "timestamp "
                            + io.tsflow.common.time.Micros.toInstant(micros)
                            + " is before the oldest accepted "
                            + rules.timestamps().oldest());
        }
        if (referenceMicros - micros > maxAgeMicros) {
            throw new InvalidValueException(
                    RejectReason.TIMESTAMP_TOO_OLD,
                    "timestamp "
                            + io.tsflow.common.time.Micros.toInstant(micros)
                            + " is more than "
                            + rules.timestamps().maxAge()
                            + " before the record's time");
        }
    }
}
