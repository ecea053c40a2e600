package io.tsflow.common.types;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsflow.common.RejectReason;
import io.tsflow.common.text.Utf16;
import io.tsflow.schema.Pos2d;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The built-in types: tdouble, tlong, tbool, ttext, tbinary and pos2d. */
public final class BuiltinTypes {

    private BuiltinTypes() {}

    public static List<ValueType> all() {
        return List.of(
                new TDouble(),
                new TLong(),
                new TBool(),
                new TText(),
                new TBinary(),
                new Pos2dType());
    }

    static InvalidValueException wrongType(String type, Object value) {
        String shown = String.valueOf(value);
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return new InvalidValueException(
                RejectReason.WRONG_VALUE_TYPE, "value " + shown + " is not a " + type);
    }

    static double finite(double value, String what) throws InvalidValueException {
        if (!Double.isFinite(value)) {
            throw new InvalidValueException(
                    RejectReason.NON_FINITE_VALUE, what + " must be a finite number, got " + value);
        }
        return value;
    }

    /** 64-bit floating point. JSON integers are accepted and widened. */
    public static final class TDouble implements ValueType {
        @Override
        public String name() {
            return "tdouble";
        }

        @Override
        public Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
            if (!value.isNumber()) {
                throw wrongType(name(), value);
            }
            return finite(value.doubleValue(), "a tdouble value");
        }

        @Override
        public Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
            if (value instanceof Double d) {
                return finite(d, "a tdouble value");
            }
            if (value instanceof Float f) {
                return finite(f.doubleValue(), "a tdouble value");
            }
            if (value instanceof Long || value instanceof Integer) {
                return ((Number) value).doubleValue();
            }
            throw wrongType(name(), value);
        }
    }

    /** 64-bit signed integer. A number with a fraction is refused, not rounded. */
    public static final class TLong implements ValueType {
        private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
        private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

        @Override
        public String name() {
            return "tlong";
        }

        @Override
        public Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
            if (value.isIntegralNumber()) {
                if (value.canConvertToLong()) {
                    return value.longValue();
                }
                BigInteger big = value.bigIntegerValue();
                if (big.compareTo(MIN) < 0 || big.compareTo(MAX) > 0) {
                    throw new InvalidValueException(
                            RejectReason.VALUE_OUT_OF_RANGE,
                            "value " + big + " does not fit a tlong");
                }
                return big.longValue();
            }
            throw wrongType(name(), value);
        }

        @Override
        public Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
            if (value instanceof Long || value instanceof Integer) {
                return ((Number) value).longValue();
            }
            throw wrongType(name(), value);
        }
    }

    /** true or false. */
    public static final class TBool implements ValueType {
        @Override
        public String name() {
            return "tbool";
        }

        @Override
        public Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
            if (!value.isBoolean()) {
                throw wrongType(name(), value);
            }
            return value.booleanValue();
        }

        @Override
        public Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
            if (value instanceof Boolean b) {
                return b;
            }
            throw wrongType(name(), value);
        }
    }

    /** UTF-8 text, at most {@link ValueLimits#maxTextBytes()}. */
    public static final class TText implements ValueType {
        @Override
        public String name() {
            return "ttext";
        }

        @Override
        public Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
            if (!value.isTextual()) {
                throw wrongType(name(), value);
            }
            return fromTyped(value.textValue(), limits);
        }

        @Override
        public Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
            if (!(value instanceof CharSequence text)) {
                throw wrongType(name(), value);
            }
            String string = text.toString();
            if (!Utf16.isWellFormed(string)) {
                throw new InvalidValueException(
                        RejectReason.INVALID_TEXT,
                        "ttext value holds a lone UTF-16 surrogate, which has no UTF-8 encoding");
            }
            int bytes = string.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxTextBytes()) {
                throw new InvalidValueException(
                        RejectReason.VALUE_TOO_LARGE,
                        "ttext value of " + bytes + " bytes exceeds " + limits.maxTextBytes());
            }
            return string;
        }
    }

    /** Bytes; base64 (standard alphabet, padded) in JSON. */
    public static final class TBinary implements ValueType {
        @Override
        public String name() {
            return "tbinary";
        }

        @Override
        public Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
            if (!value.isTextual()) {
                throw wrongType(name(), value);
            }
            String text = value.textValue();
            if (text.length() / 4 * 3 > limits.maxBinaryBytes() + 3) {
                throw tooLarge(text.length() / 4 * 3, limits);
            }
            try {
                return fromTyped(ByteBuffer.wrap(Base64.getDecoder().decode(text)), limits);
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException(
                        RejectReason.WRONG_VALUE_TYPE, "tbinary value is not valid base64");
            }
        }

        @Override
        public Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
            if (!(value instanceof ByteBuffer bytes)) {
                throw wrongType(name(), value);
            }
            if (bytes.remaining() > limits.maxBinaryBytes()) {
                throw tooLarge(bytes.remaining(), limits);
            }
            return bytes;
        }

        private static InvalidValueException tooLarge(int size, ValueLimits limits) {
            return new InvalidValueException(
                    RejectReason.VALUE_TOO_LARGE,
                    "tbinary value of " + size + " bytes exceeds " + limits.maxBinaryBytes());
        }
    }

    /** {"latitude": -90..90, "longitude": -180..180}. */
    public static final class Pos2dType implements ValueType {
        @Override
        public String name() {
            return "pos2d";
        }

        @Override
        public Object fromJson(JsonNode value, ValueLimits limits) throws InvalidValueException {
            if (!value.isObject() || value.size() != 2) {
                throw wrongType(name(), value);
            }
            JsonNode latitude = value.get("latitude");
            JsonNode longitude = value.get("longitude");
            if (latitude == null
                    || longitude == null
                    || !latitude.isNumber()
                    || !longitude.isNumber()) {
                throw wrongType(name(), value);
            }
            return check(latitude.doubleValue(), longitude.doubleValue());
        }

        @Override
        public Object fromTyped(Object value, ValueLimits limits) throws InvalidValueException {
            if (value instanceof Pos2d position) {
                return check(position.getLatitude(), position.getLongitude());
            }
            throw wrongType(name(), value);
        }

        private static Pos2d check(double latitude, double longitude) throws InvalidValueException {
            finite(latitude, "latitude");
            finite(longitude, "longitude");
            if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
                throw new InvalidValueException(
                        RejectReason.VALUE_OUT_OF_RANGE,
                        "position ("
                                + latitude
                                + ", "
                                + longitude
                                + ") is outside latitude [-90, 90] / longitude [-180, 180]");
            }
            return new Pos2d(latitude, longitude);
        }
    }
}
