package io.tsflow.local;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Rejected;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Tallies dead letters by reason code. */
final class RejectReasons implements Consumer<byte[]> {

    private final ConfluentAvroDecoder<Rejected> decoder;
    private final Map<String, AtomicLong> byReason = new ConcurrentHashMap<>();

    RejectReasons(SchemaRegistryClient registry) {
        this.decoder = new ConfluentAvroDecoder<>(registry, Rejected.getClassSchema());
    }

    @Override
    public void accept(byte[] value) {
        String reason;
        try {
            reason = decoder.decode(value).getReason();
        } catch (Exception e) {
            reason = "(undecodable)";
        }
        byReason.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> counts() {
        Map<String, Long> sorted = new TreeMap<>();
        byReason.forEach((reason, count) -> sorted.put(reason, count.get()));
        return sorted;
    }
}
