package io.tsflow.runtime;

import io.tsflow.common.config.ConfigLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every job's {@code main}: reads {@code --config FILE.yaml} (and {@code --apply-schema-only}),
 * creates the job's Cassandra tables where storage is on, checks its connections, builds its graph
 * with production sources and sinks, and runs it.
 */
public final class JobMain {

    private static final Logger LOG = LoggerFactory.getLogger(JobMain.class);

    private JobMain() {}

    public static <C extends JobConfig, S> void run(String[] args, JobDefinition<C, S> job)
            throws Exception {
        JobArguments arguments = JobArguments.parse(job.name(), args);
        C config = ConfigLoader.load(arguments.config(), job.configType());
        LOG.info(
                "Starting {}: topics {}, consumer group {}, Cassandra {}",
                job.name(),
                config.topicNames(),
                config.consumerGroup(),
                config.storageEnabled() ? config.cassandra().keyspace() : "not used");
        if (config.storageEnabled()) {
            job.applySchema().accept(config);
        }
        if (arguments.applySchemaOnly()) {
            return;
        }
        StreamExecutionEnvironment env = JobEnvironment.checkedProduction(config);
        job.productionWorkflow().define(env, config, job.source(config));
        env.execute(job.name());
    }
}
