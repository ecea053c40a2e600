package io.tsflow.common.types;

import io.tsflow.common.RejectReason;
import java.util.Map;

/**
 * The example extension type of docs/jobs/ingest-normalize.md: a trade with a positive price, a
 * non-negative volume and a side. Registered in
 * src/test/resources/META-INF/services/io.tsflow.common.types.ValueType.
 */
public class TradeType extends StructuredValueType {

    @Override
    public String name() {
        return "trade";
    }

    @Override
    protected Map<String, FieldKind> fields() {
        return Map.of("price", FieldKind.DOUBLE, "volume", FieldKind.LONG, "side", FieldKind.TEXT);
    }

    @Override
    protected void check(Map<String, Object> fields) throws InvalidValueException {
        if ((Double) fields.get("price") <= 0) {
            throw new InvalidValueException(
                    RejectReason.VALUE_OUT_OF_RANGE, "price must be positive");
        }
        if ((Long) fields.get("volume") < 0) {
            throw new InvalidValueException(
                    RejectReason.VALUE_OUT_OF_RANGE, "volume must not be negative");
        }
        if (!fields.get("side").equals("buy") && !fields.get("side").equals("sell")) {
            throw new InvalidValueException(
                    RejectReason.VALUE_OUT_OF_RANGE, "side must be buy or sell");
        }
    }
}
