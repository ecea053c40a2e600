package io.tsflow.storage.rollup;

import io.tsflow.schema.Aggregation;
import java.io.Serializable;
import java.time.Duration;

/** How long a bucket's row stays in the rollup table ({@link Duration#ZERO}: forever). */
@FunctionalInterface
public interface BucketRetention extends Serializable {

    Duration of(Aggregation bucket);
}
