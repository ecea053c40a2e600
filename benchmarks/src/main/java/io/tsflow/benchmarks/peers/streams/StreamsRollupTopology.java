package io.tsflow.benchmarks.peers.streams;

import io.tsflow.benchmarks.peers.PeerAggregations;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The 1m and 1h rollup as a Kafka Streams topology: the observations (keyed by series, so no
 * repartition), event time from the payload, one windowed aggregation per level with 5 s of grace
 * (tsflow's out-of-orderness) in RocksDB window stores, each emitting a window once when it closes
 * ({@link EmitStrategy#onWindowClose()}, not an update per point), written as {@code Aggregation}s.
 *
 * <p>Both levels aggregate the points themselves: cascading the hour from the minutes would change
 * the key from a window to a series and so add a repartition topic, a round trip through the broker
 * that costs more than a second window store update per point.
 */
final class StreamsRollupTopology {

    private static final Duration GRACE = Duration.ofSeconds(5);

    /**
     * How much longer than size and grace a window stays in its store. The store drops windows once
     * stream time passes their retention, and the emitter looks for closed windows at most once a
     * second of wall time: when stream time leaps (the flush readings after a finite input, or a
     * gateway back from hours offline), the default retention (size and grace) drops windows before
     * they are emitted. Longer than the leaps of the harness's input.
     */
    private static final Duration RETAINED = Duration.ofHours(12);

    private static final Map<String, Duration> LEVELS =
            Map.of("1m", Duration.ofMinutes(1), "1h", Duration.ofHours(1));

    private StreamsRollupTopology() {}

    static Topology build(String input, String output, String registryUrl) {
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, Double> series =
                builder.stream(
                                input,
                                Consumed.with(Serdes.String(), new ReadingSerde(registryUrl))
                                        .withTimestampExtractor(
                                                (record, partitionTime) ->
                                                        ((Reading) record.value())
                                                                .timestampMillis()))
                        .mapValues(Reading::value)
                        .groupByKey(Grouped.with(Serdes.String(), Serdes.Double()));
        AggregationSerde aggregations = new AggregationSerde(registryUrl, output + "-value");
        LEVELS.forEach(
                (level, size) ->
                        series.windowedBy(TimeWindows.ofSizeAndGrace(size, GRACE))
                                .emitStrategy(EmitStrategy.onWindowClose())
                                .aggregate(
                                        BucketStats::new,
                                        (key, value, stats) -> stats.add(value),
                                        Named.as("rollup-" + level),
                                        Materialized
                                                .<String, BucketStats, WindowStore<Bytes, byte[]>>
                                                        as("rollup-" + level)
                                                .withRetention(size.plus(GRACE).plus(RETAINED))
                                                .withKeySerde(Serdes.String())
                                                .withValueSerde(BucketStats.serde()))
                                .toStream(Named.as("closed-" + level))
                                .map(
                                        (window, stats) ->
                                                KeyValue.pair(
                                                        window.key(),
                                                        PeerAggregations.of(
                                                                window.key(),
                                                                level,
                                                                window.window().start() * 1000,
                                                                window.window().end() * 1000,
                                                                stats.count,
                                                                stats.sum,
                                                                stats.min,
                                                                stats.max)),
                                        Named.as("to-aggregation-" + level))
                                .to(output, Produced.with(Serdes.String(), aggregations)));
        return builder.build();
    }
}
