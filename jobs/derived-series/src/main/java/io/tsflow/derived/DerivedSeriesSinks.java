package io.tsflow.derived;

import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.runtime.JobSinks;
import io.tsflow.runtime.SinkApplier;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Rejected;
import io.tsflow.storage.raw.RawTable;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the derived-series job's outputs go: derived points back to {@code observations} and into
 * the raw table, dead letters to their topic.
 */
public record DerivedSeriesSinks(
        Sink<Observation> derived, SinkApplier<Observation> storage, Sink<Rejected> deadLetters) {

    /** The sinks the configuration names: Kafka topics, exactly once, and the raw table. */
    public static DerivedSeriesSinks production(DerivedSeriesConfig config) {
        return new DerivedSeriesSinks(
                derivedSink(config),
                JobSinks.storage(
                        config,
                        () ->
                                RawTable.sink(
                                        config.cassandra(), config.storage(), "derived-series")),
                JobSinks.deadLetters(config));
    }

    public static Sink<Observation> derivedSink(DerivedSeriesConfig config) {
        return JobSinks.observations(config, config.topics().observations(), "-observations");
    }
}
