package io.tsflow.local;

import io.tsflow.connectors.registry.ConfluentAvroDecoder;
import io.tsflow.connectors.registry.SchemaRegistryClient;
import io.tsflow.schema.Alert;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Keeps every alert state change committed to topic alerts, in order, as "STATUS rule room". */
final class AlertLog implements Consumer<byte[]> {

    private final ConfluentAvroDecoder<Alert> decoder;
    private final List<String> changes = new CopyOnWriteArrayList<>();

    AlertLog(SchemaRegistryClient registry) {
        this.decoder = new ConfluentAvroDecoder<>(registry, Alert.getClassSchema());
    }

    @Override
    public void accept(byte[] value) {
        try {
            Alert alert = decoder.decode(value);
            changes.add(
                    alert.getStatus()
                            + " "
                            + alert.getRule()
                            + " "
                            + alert.getTagset().getOrDefault("room", alert.getSeriesKey()));
        } catch (Exception e) {
            changes.add("(undecodable alert)");
        }
    }

    List<String> changes() {
        return List.copyOf(changes);
    }
}
