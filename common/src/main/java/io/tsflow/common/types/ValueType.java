package io.tsflow.common.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * A data type of a series ({@code tdouble}, {@code pos2d}, ...). It turns a point's value, as it
 * arrives in JSON or already typed from Avro or a line protocol, into the value stored in {@code
 * Observation.value}: a Double, Long, Boolean, String, ByteBuffer, {@code Pos2d} or {@code
 * StructuredValue}.
 *
 * <p>To add a type, implement this interface (or extend {@link StructuredValueType} for a record of
 * named fields), list the class in {@code META-INF/services/io.tsflow.common.types.ValueType}, and
 * document it. No schema or table change is needed: extension values travel as {@code
 * StructuredValue}.
 */
public interface ValueType extends Serializable {

    /** The name used in the {@code type} field of messages, for example {@code tdouble}. */
    String name();

    /** Converts a JSON value; throws with a reason code when the value does not fit this type. */
    Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException;

    /**
     * Checks and converts a value that arrived typed (Avro raw messages, Graphite, Influx). The
     * default accepts nothing; built-in types override it.
     */
    Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException;
}
