package io.tsflow.common.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The HTTP basic {@code Authorization} header for credentials that come from the environment. */
public final class BasicAuth {

    private BasicAuth() {}

    /** The header value, or null without a username (then no header is sent). */
    public static String header(Optional<Secret> username, Optional<Secret> password) {
        return username.map(
                        user -> {
                            String pair =
                                    user.reveal() + ":" + password.map(Secret::reveal).orElse("");
                            return "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString(pair.getBytes(StandardCharsets.UTF_8));
                        })
                .orElse(null);
    }
}
