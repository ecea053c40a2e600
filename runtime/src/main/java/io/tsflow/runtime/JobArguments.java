package io.tsflow.runtime;

import java.nio.file.Path;

/**
 * Command line of every job: {@code --config FILE} (required) and {@code --apply-schema-only}
 * (create the Cassandra schema, then exit).
 */
public record JobArguments(Path config, boolean applySchemaOnly) {

    public static JobArguments parse(String jobName, String[] args) {
        Path config = null;
        boolean schemaOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(usage(jobName, "--config needs a file"));
                    }
                    config = Path.of(args[++i]);
                }
                case "--apply-schema-only" -> schemaOnly = true;
                default ->
                        throw new IllegalArgumentException(
                                usage(jobName, "unknown argument '" + args[i] + "'"));
            }
        }
        if (config == null) {
            throw new IllegalArgumentException(usage(jobName, "--config is required"));
        }
        return new JobArguments(config, schemaOnly);
    }

    private static String usage(String jobName, String problem) {
        return problem + "\nusage: " + jobName + " --config FILE.yaml [--apply-schema-only]";
    }
}
