package io.tsflow.connectors.registry;

import io.tsflow.common.RejectReason;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Confluent wire-format records into one specific record type, resolving each writer schema
 * (looked up by id in the registry) against the reader schema, so producers may use any compatible
 * version.
 */
public class ConfluentAvroDecoder<T extends SpecificRecord> {

    /** Why a record could not be decoded. */
    public enum Failure {
        NOT_WIRE_FORMAT(RejectReason.MALFORMED_AVRO),
        UNKNOWN_SCHEMA_ID(RejectReason.UNKNOWN_SCHEMA_ID),
        INCOMPATIBLE_SCHEMA(RejectReason.INCOMPATIBLE_SCHEMA),
        MALFORMED(RejectReason.MALFORMED_AVRO);

        private final RejectReason reason;

        Failure(RejectReason reason) {
            this.reason = reason;
        }

        /** The dead-letter reason of a record that fails so. */
        public RejectReason reason() {
            return reason;
        }
    }

    /** A record that could not be decoded, for the dead-letter topic. */
    public static class DecodeException extends Exception {
        private final Failure failure;

        public DecodeException(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Integer, DecodeException> refusedIds = new ConcurrentHashMap<>();
    private BinaryDecoder decoder;

    public ConfluentAvroDecoder(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        AvroDecodeLimits.apply();
    }

    /**
     * Decodes {@code bytes}. Data problems throw {@link DecodeException}; an unreachable registry
     * throws {@link IOException} so the caller can fail instead of dead-lettering good data.
     */
    public T decode(byte[] bytes) throws DecodeException, IOException {
        if (!ConfluentWireFormat.looksLikeWireFormat(bytes)) {
            throw new DecodeException(
                    Failure.NOT_WIRE_FORMAT,
                    "not in the Confluent wire format (magic byte 0 + schema id)");
        }
        int id = ConfluentWireFormat.schemaId(bytes);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            Schema writerSchema;
            DecodeException refused = refusedIds.get(id);
            if (refused != null) {
                throw refused;
            }
            try {
                writerSchema = registry.schemaById(id);
            } catch (NotAvroSchemaException e) {
                // Remembered: a flood of records naming it must not each ask the registry.
                refused = new DecodeException(Failure.INCOMPATIBLE_SCHEMA, e.getMessage());
                refusedIds.put(id, refused);
                throw refused;
            } catch (SchemaNotFoundException e) {
                throw new DecodeException(
                        Failure.UNKNOWN_SCHEMA_ID,
                        "schema id " + id + " is unknown to the registry");
            }
            if (writerSchema.getType() != Schema.Type.RECORD
                    || !writerSchema.getFullName().equals(readerSchema.getFullName())
                            && !readerSchema.getAliases().contains(writerSchema.getFullName())) {
                throw new DecodeException(
                        Failure.INCOMPATIBLE_SCHEMA,
                        "schema id "
                                + id
                                + " is "
                                + writerSchema.getFullName()
                                + ", expected "
                                + readerSchema.getFullName());
            }
            reader = new StringClassCachingDatumReader<>(writerSchema, readerSchema);
            readers.put(id, reader);
        }
        try {
            decoder =
                    DecoderFactory.get()
                            .binaryDecoder(
                                    bytes,
                                    ConfluentWireFormat.HEADER_SIZE,
                                    bytes.length - ConfluentWireFormat.HEADER_SIZE,
                                    decoder);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new DecodeException(
                        Failure.MALFORMED,
                        "trailing bytes after the Avro record (schema id " + id + ")");
            }
            return record;
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Avro reports truncated or corrupt input as EOFException, AvroRuntimeException or an
            // index error, and hostile length prefixes as SystemLimitException.
            throw new DecodeException(
                    Failure.MALFORMED,
                    "cannot decode Avro with schema id "
                            + id
                            + ": "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
