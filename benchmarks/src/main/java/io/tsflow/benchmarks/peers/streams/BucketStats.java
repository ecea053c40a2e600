package io.tsflow.benchmarks.peers.streams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The running count, sum, min and max of one window, stored as 32 bytes. */
final class BucketStats {

    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    BucketStats add(double value) {
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
        return this;
    }

    static Serde<BucketStats> serde() {
        Serializer<BucketStats> serializer =
                (topic, stats) ->
                        ByteBuffer.allocate(32)
                                .putLong(stats.count)
                                .putDouble(stats.sum)
                                .putDouble(stats.min)
                                .putDouble(stats.max)
                                .array();
        Deserializer<BucketStats> deserializer =
                (topic, bytes) -> {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    BucketStats stats = new BucketStats();
                    stats.count = buffer.getLong();
                    stats.sum = buffer.getDouble();
                    stats.min = buffer.getDouble();
                    stats.max = buffer.getDouble();
                    return stats;
                };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
