package io.tsflow.local;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Tells measured observations (written by ingest) from derived ones (written back by
 * derived-series) and counts the derived ones by rule, so the loss check compares like with like.
 */
final class ObservationOrigins implements Consumer<byte[]> {

    private final ConfluentAvroDecoder<Observation> decoder;
    final AtomicLong measured = new AtomicLong();
    private final Map<String, AtomicLong> derivedByRule = new ConcurrentHashMap<>();

    ObservationOrigins(SchemaRegistryClient registry) {
        this.decoder = new ConfluentAvroDecoder<>(registry, Observation.getClassSchema());
    }

    @Override
    public void accept(byte[] value) {
        try {
            Observation point = decoder.decode(value);
            if (point.getOrigin() == Origin.DERIVED) {
                derivedByRule
                        .computeIfAbsent(point.getDerivedBy(), rule -> new AtomicLong())
                        .incrementAndGet();
            } else {
                measured.incrementAndGet();
            }
        } catch (Exception e) {
            measured.incrementAndGet(); // ingest wrote it; counted, not classified
        }
    }

    Map<String, Long> derivedByRule() {
        Map<String, Long> sorted = new TreeMap<>();
        derivedByRule.forEach((rule, count) -> sorted.put(rule, count.get()));
        return sorted;
    }
}
