package io.tsflow.runtime;

import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A job's {@code topics} section: the Kafka topics it reads and writes, each under its key. The
 * checks are the same for every job: each name must be a legal Kafka topic name, and the topic the
 * job reads must not be one it writes.
 */
public interface JobTopics extends Validatable, Serializable {

    /**
     * Each topic under its key in the file, in a fixed order: first the topic the job reads, then
     * those it writes (build it with {@link TopicNames#inOrder}).
     */
    Map<String, String> byKey();

    /** The topic the job reads: the first of {@link #byKey()}. */
    default String input() {
        return byKey().values().iterator().next();
    }

    /** Where the job sends what it cannot process, with a reason: key {@code deadLetter}. */
    default String deadLetter() {
        return byKey().get("deadLetter");
    }

    /** Every topic the job reads or writes. */
    default List<String> names() {
        return List.copyOf(byKey().values());
    }

    @Override
    default void validate(String path) {
        TopicNames.check(path, byKey());
    }
}
