package io.tsflow.connectors.cassandra;

/**
 * Which write wins when two statements write the same cells: Cassandra keeps the one with the
 * greater write timestamp, and the sink fixes that timestamp once per element, before the first
 * attempt, so retries keep it.
 */
public enum WriteOrder {
    /**
     * The order in which the sink takes the elements (a per-writer clock in microseconds that never
     * goes back): a later revision of a rollup bucket, or a re-run's, wins.
     */
    ARRIVAL,
    /**
     * The elements' record timestamps (for ingest, the Kafka record's timestamp of the raw
     * message): of two sends of one point, the later sent wins, whatever order a catch-up reads
     * partitions in. Elements without a record timestamp (none, or Kafka's -1) fall back to {@link
     * #ARRIVAL}; one ahead of the wall clock counts as stamped when it is written.
     */
    RECORD_TIMESTAMP
}
