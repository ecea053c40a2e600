package io.tsflow.alerts.delivery;

import io.tsflow.schema.Alert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The Alertmanager sink's checkpointed queue: a count, then each alert in Avro binary with the
 * {@code Alert} schema of version 1 of this format. A change of that schema needs a new version
 * here that reads the old one.
 */
final class WaitingAlertsSerializer implements SimpleVersionedSerializer<List<Alert>> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(List<Alert> alerts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        SpecificDatumWriter<Alert> writer = new SpecificDatumWriter<>(Alert.class);
        encoder.writeInt(alerts.size());
        for (Alert alert : alerts) {
            writer.write(alert, encoder);
        }
        encoder.flush();
        return bytes.toByteArray();
    }

    @Override
    public List<Alert> deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown version " + version + " of the Alertmanager queue");
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(serialized, null);
        SpecificDatumReader<Alert> reader = new SpecificDatumReader<>(Alert.class);
        int count = decoder.readInt();
        List<Alert> alerts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            alerts.add(reader.read(null, decoder));
        }
        return alerts;
    }
}
