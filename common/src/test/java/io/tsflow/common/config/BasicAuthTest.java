package io.tsflow.common.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BasicAuthTest {

    @Test
    void credentialsNeverTravelInClearTextToAnotherMachineUnlessAllowed() {
        assertThatThrownBy(
                        () ->
                                BasicAuth.requireSafeTransport(
                                        "http://registry.example:8081",
                                        false,
                                        "schemaRegistry.url",
                                        "schemaRegistry.allowBasicAuthOverHttp"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schemaRegistry.url")
                .hasMessageContaining("clear text")
                .hasMessageContaining("schemaRegistry.allowBasicAuthOverHttp: true");
        assertThatCode(
                        () ->
                                BasicAuth.requireSafeTransport(
                                        "https://registry.example:8081", false, "u", "a"))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                BasicAuth.requireSafeTransport(
                                        "http://127.0.0.1:18083", false, "u", "a"))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                BasicAuth.requireSafeTransport(
                                        "http://localhost:9093", false, "u", "a"))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                BasicAuth.requireSafeTransport(
                                        "http://registry.example:8081", true, "u", "a"))
                .doesNotThrowAnyException();
    }
}
