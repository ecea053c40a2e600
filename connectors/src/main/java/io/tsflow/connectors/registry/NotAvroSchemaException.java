package io.tsflow.connectors.registry;

/**
 * The registry holds the schema id, but not as an Avro schema: a JSON Schema or Protobuf schema, or
 * text that does not parse as Avro. Like a missing id, the record that names it is at fault.
 */
public class NotAvroSchemaException extends SchemaNotFoundException {

    public NotAvroSchemaException(String message) {
        super(message);
    }
}
