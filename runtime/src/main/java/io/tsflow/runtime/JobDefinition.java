package io.tsflow.runtime;

import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What {@link JobMain} needs to know of a job: its name, its configuration type, the Cassandra
 * tables it creates, its production source, and its graph with production sinks.
 *
 * @param <C> the job's configuration record
 * @param <S> what its source reads
 */
public record JobDefinition<C extends JobConfig, S>(
        String name,
        Class<C> configType,
        Consumer<C> applySchema,
        Function<C, Source<S, ?, ?>> productionSource,
        Workflow<C, S> productionWorkflow) {

    /** The job's graph from a source, with the sinks its configuration names. */
    @FunctionalInterface
    public interface Workflow<C, S> {
        void define(StreamExecutionEnvironment env, C config, Source<S, ?, ?> source);
    }

    /**
     * A job that reads topic {@code observations} (its topics' {@link JobTopics#input()}) from the
     * committed offsets of its group; {@code job} names it in dead letters.
     */
    public static <C extends JobConfig> JobDefinition<C, DecodedObservation> readingObservations(
            String name,
            String job,
            Class<C> configType,
            Consumer<C> applySchema,
            Workflow<C, DecodedObservation> productionWorkflow) {
        return new JobDefinition<>(
                name,
                configType,
                applySchema,
                config -> ObservationsInput.source(config, job),
                productionWorkflow);
    }

    /** The source {@link JobMain} runs the job from. */
    public Source<S, ?, ?> source(C config) {
        return productionSource.apply(config);
    }

    /** For a job that creates nothing in Cassandra. */
    public static <C> void noSchema(C config) {}
}
