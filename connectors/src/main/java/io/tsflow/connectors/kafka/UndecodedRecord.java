package io.tsflow.connectors.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as it arrived, undecoded: its coordinates (for the dead-letter topic), its
 * timestamp (the reference for timestamp bounds), the optional format header, and its bytes. A
 * Flink POJO.
 */
public class UndecodedRecord {

    public String topic;
    public int partition;
    public long offset;
    public long timestampMillis;

    /** Value of the {@code tsflow.format} header, or null. */
    public String formatHeader;

    /** The record value; null for a tombstone. */
    public byte[] value;

    public UndecodedRecord() {}

    public UndecodedRecord(
            String topic,
            int partition,
            long offset,
            long timestampMillis,
            String formatHeader,
            byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestampMillis = timestampMillis;
        this.formatHeader = formatHeader;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UndecodedRecord that
                && partition == that.partition
                && offset == that.offset
                && timestampMillis == that.timestampMillis
                && Objects.equals(topic, that.topic)
                && Objects.equals(formatHeader, that.formatHeader)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
