package io.tsflow.common.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.RejectReason;
import io.tsflow.schema.Pos2d;
import io.tsflow.schema.StructuredValue;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueTypesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ValueTypes types = ValueTypes.discover(getClass().getClassLoader());

    private Object convert(String type, String json) throws Exception {
        return types.find(type).orElseThrow().fromJson(JSON.readTree(json), ValueLimits.DEFAULTS);
    }

    @Test
    void knowsTheBuiltinsAndTheServiceLoadedExtension() {
        assertThat(types.names())
                .containsExactlyInAnyOrder(
                        "tdouble", "tlong", "tbool", "ttext", "tbinary", "pos2d", "trade");
    }

    @Test
    void convertsValidValues() throws Exception {
        assertThat(convert("tdouble", "42.5")).isEqualTo(42.5);
        assertThat(convert("tdouble", "7")).isEqualTo(7.0);
        assertThat(convert("tlong", "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(convert("tbool", "true")).isEqualTo(true);
        assertThat(convert("ttext", "\"h\u00e9llo\"")).isEqualTo("h\u00e9llo");
        assertThat(convert("tbinary", "\"AAEC\"")).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2}));
        assertThat(convert("pos2d", "{\"latitude\": 50.85, \"longitude\": 4.35}"))
                .isEqualTo(new Pos2d(50.85, 4.35));
        assertThat(convert("trade", "{\"price\": 12.5, \"volume\": 300, \"side\": \"buy\"}"))
                .isEqualTo(
                        new StructuredValue(Map.of("price", 12.5, "volume", 300L, "side", "buy")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tdouble | \"42\"                                   | WRONG_VALUE_TYPE",
                "tdouble | 1e999                                    | NON_FINITE_VALUE",
                "tlong   | 1.5                                      | WRONG_VALUE_TYPE",
                "tlong   | 92233720368547758070                     | VALUE_OUT_OF_RANGE",
                "tbool   | 1                                        | WRONG_VALUE_TYPE",
                "ttext   | 12                                       | WRONG_VALUE_TYPE",
                "tbinary | \"not base64!\"                          | WRONG_VALUE_TYPE",
                "pos2d   | {\"latitude\": 91, \"longitude\": 0}     | VALUE_OUT_OF_RANGE",
                "pos2d   | {\"latitude\": 1}                        | WRONG_VALUE_TYPE",
                "pos2d   | [1, 2]                                   | WRONG_VALUE_TYPE",
                "trade   | {\"price\": -1, \"volume\": 1, \"side\": \"buy\"} | VALUE_OUT_OF_RANGE",
                "trade   | {\"price\": 1, \"side\": \"buy\"}        | MISSING_VALUE",
                "trade   | {\"price\": 1, \"volume\": 1, \"side\": \"buy\", \"x\": 1} |"
                        + " WRONG_VALUE_TYPE",
            })
    void rejectsWithTheRightReason(String type, String json, RejectReason reason) {
        assertThatThrownBy(() -> convert(type, json))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void nanArrivingTypedIsRejected() {
        assertThatThrownBy(
                        () ->
                                types.find("tdouble")
                                        .orElseThrow()
                                        .fromTyped(Double.NaN, ValueLimits.DEFAULTS))
                .isInstanceOfSatisfying(
                        InvalidValueException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.NON_FINITE_VALUE));
    }

    @Test
    void textOverTheLimitIsTooLarge() {
        JsonNode text = JSON.getNodeFactory().textNode("x".repeat(101));
        assertThatThrownBy(
                        () ->
                                types.find("ttext")
                                        .orElseThrow()
                                        .fromJson(text, new ValueLimits(100, 100)))
                .isInstanceOfSatisfying(
                        InvalidValueException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.VALUE_TOO_LARGE));
    }
}
