package io.tsflow.runtime;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks of the topic names in a job's {@code topics} section (see {@link JobTopics}). */
public final class TopicNames {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private TopicNames() {}

    /** Topics by key, in the order given: {@code key, name, key, name, ...}. */
    public static Map<String, String> inOrder(String... keysAndNames) {
        Map<String, String> topics = new LinkedHashMap<>();
        for (int i = 0; i < keysAndNames.length; i += 2) {
            topics.put(keysAndNames[i], keysAndNames[i + 1]);
        }
        return topics;
    }

    /**
     * Each topic must be a legal Kafka topic name, checked in order; the first (the topic the job
     * reads) must differ from all the others (those it writes).
     */
    static void check(String path, Map<String, String> topics) {
        String inputKey = null;
        String input = null;
        for (Map.Entry<String, String> topic : topics.entrySet()) {
            ConfigException.require(
                    LEGAL.matcher(topic.getValue()).matches(),
                    Keys.join(path, topic.getKey()),
                    "is not a valid Kafka topic name");
            if (inputKey == null) {
                inputKey = topic.getKey();
                input = topic.getValue();
            } else {
                ConfigException.require(
                        !input.equals(topic.getValue()),
                        Keys.join(path, inputKey),
                        "must differ from the output topics");
            }
        }
    }
}
