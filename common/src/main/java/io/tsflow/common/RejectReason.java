package io.tsflow.common;

/**
 * Why a record or a point went to the dead-letter topic. The names are a stable contract:
 * dashboards and alert rules match on them, so a code is never renamed or reused.
 * docs/jobs/ingest-normalize.md, "Dead letters", explains each one.
 */
public enum RejectReason {
    // The whole record.
    EMPTY_RECORD,
    RECORD_TOO_LARGE,
    INVALID_UTF8,
    UNKNOWN_FORMAT,
    MALFORMED_JSON,
    JSON_TOO_DEEP,
    INVALID_STRUCTURE,
    NO_POINTS,
    TOO_MANY_POINTS,
    UNKNOWN_SCHEMA_ID,
    MALFORMED_AVRO,
    MALFORMED_LINE,
    INCOMPATIBLE_SCHEMA,
    // One message or one point.
    MISSING_METRIC,
    INVALID_METRIC_NAME,
    MISSING_TYPE,
    UNKNOWN_TYPE,
    INVALID_TAG_KEY,
    INVALID_TAG_VALUE,
    RESERVED_TAG_KEY,
    TOO_MANY_TAGS,
    INVALID_POINT,
    INVALID_TIMESTAMP,
    TIMESTAMP_IN_FUTURE,
    TIMESTAMP_TOO_OLD,
    WRONG_VALUE_TYPE,
    NON_FINITE_VALUE,
    VALUE_OUT_OF_RANGE,
    VALUE_TOO_LARGE,
    MISSING_VALUE,
    INVALID_TEXT,
    // Later jobs.
    LATE_FOR_ROLLUP,
    INVALID_SERIES_KEY,
    TYPE_CHANGED,
    // Any job: a limit on the number of series.
    CARDINALITY_LIMIT,
    // Any job writing to Cassandra: a write Cassandra refused as invalid (a key over 64 KiB...).
    STORAGE_REFUSED,
    // Any job: an exception no rule above foresaw, caught so that one record cannot stop a job.
    PROCESSING_FAILED
}
