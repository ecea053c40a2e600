package io.tsflow.common.types;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsflow.common.RejectReason;
import io.tsflow.schema.StructuredValue;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base for extension types whose value is a record of named scalar fields, for example a trade
 * {@code {"price": 12.5, "volume": 300}}. A subclass declares its fields and may add checks in
 * {@link #check(Map)}.
 */
public abstract class StructuredValueType implements ValueType {

    private static final long serialVersionUID = 1L;

    /** The kind of one field. */
    public enum FieldKind {
        DOUBLE,
        LONG,
        BOOLEAN,
        TEXT
    }

    /** Field name to kind; every declared field is required and no other field is accepted. */
    protected abstract Map<String, FieldKind> fields();

    /** Extra checks on the converted fields; throw to reject the point. */
    protected void check(Map<String, Object> fields) throws InvalidValueException {}

    @Override
    public final Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
        if (!value.isObject()) {
            throw BuiltinTypes.wrongType(name(), value);
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            FieldKind kind = fields().get(field.getKey());
            if (kind == null) {
                throw new InvalidValueException(
                        RejectReason.WRONG_VALUE_TYPE,
                        name()
                                + " has no field '"
                                + field.getKey()
                                + "'; fields: "
                                + fields().keySet());
            }
            converted.put(field.getKey(), convert(field.getKey(), kind, field.getValue(), limits));
        }
        return finish(converted);
    }

    @Override
    public final Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
        if (!(value instanceof StructuredValue structured)) {
            throw BuiltinTypes.wrongType(name(), value);
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : structured.getFields().entrySet()) {
            FieldKind kind = fields().get(field.getKey());
            if (kind == null) {
                throw new InvalidValueException(
                        RejectReason.WRONG_VALUE_TYPE,
                        name() + " has no field '" + field.getKey() + "'");
            }
            converted.put(field.getKey(), convertTyped(field.getKey(), kind, field.getValue()));
        }
        return finish(converted);
    }

    private Object finish(Map<String, Object> converted) throws InvalidValueException {
        for (String required : fields().keySet()) {
            if (!converted.containsKey(required)) {
                throw new InvalidValueException(
                        RejectReason.MISSING_VALUE,
                        name() + " is missing field '" + required + "'");
            }
        }
        check(converted);
        return new StructuredValue(converted);
    }

    private Object convert(String field, FieldKind kind, JsonNode node, ValueLimits limits)
            throws InvalidValueException {
        String what = name() + "." + field;
        return switch (kind) {
            case DOUBLE -> {
                if (!node.isNumber()) {
                    throw BuiltinTypes.wrongType(what + " (double)", node);
                }
                yield BuiltinTypes.finite(node.doubleValue(), what);
            }
            case LONG -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw BuiltinTypes.wrongType(what + " (long)", node);
                }
                yield node.longValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw BuiltinTypes.wrongType(what + " (boolean)", node);
                }
                yield node.booleanValue();
            }
            case TEXT -> {
                if (!node.isTextual()) {
                    throw BuiltinTypes.wrongType(what + " (text)", node);
                }
                yield new BuiltinTypes.TText().fromTyped(node.textValue(), limits);
            }
        };
    }

    private Object convertTyped(String field, FieldKind kind, Object value)
            throws InvalidValueException {
        String what = name() + "." + field;
        boolean fits =
                switch (kind) {
                    case DOUBLE -> value instanceof Double;
                    case LONG -> value instanceof Long;
                    case BOOLEAN -> value instanceof Boolean;
                    case TEXT -> value instanceof CharSequence;
                };
        if (!fits) {
            throw BuiltinTypes.wrongType(what, value);
        }
        if (value instanceof Double d) {
            BuiltinTypes.finite(d, what);
        }
        return value instanceof CharSequence text ? text.toString() : value;
    }
}
