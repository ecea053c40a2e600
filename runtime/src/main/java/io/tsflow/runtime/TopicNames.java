package io.tsflow.runtime;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks of the topic names in a job's {@code topics} section. */
public final class TopicNames {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private TopicNames() {}

    /** Each topic (key to name) must be a legal Kafka topic name. */
    public static void requireLegal(String path, Map<String, String> topics) {
        topics.forEach(
                (key, name) ->
                        ConfigException.require(
                                LEGAL.matcher(name).matches(),
                                Keys.join(path, key),
                                "is not a valid Kafka topic name"));
    }

    /** The topic a job reads must not be one it writes. */
    public static void requireApart(
            String path, String inputKey, String input, Collection<String> outputs) {
        ConfigException.require(
                !outputs.contains(input),
                Keys.join(path, inputKey),
                "must differ from the output topics");
    }
}
