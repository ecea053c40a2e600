package io.tsflow.runtime;

import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.util.List;

/** A job's {@code topics} section: the Kafka topics it reads and writes. */
public interface JobTopics extends Validatable, Serializable {

    /** Every topic the job reads or writes. */
    List<String> names();
}
