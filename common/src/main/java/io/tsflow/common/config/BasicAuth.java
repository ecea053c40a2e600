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

    /**
     * Refuses to send credentials in clear text: over {@code http://} to a host other than this
     * machine's loopback interface, unless the user allowed it explicitly with {@code allowKey}.
     *
     * @throws ConfigException naming {@code urlKey} and {@code allowKey}
     */
    public static void requireSafeTransport(
            String url, boolean allowedOverHttp, String urlKey, String allowKey) {
        java.net.URI uri = java.net.URI.create(url);
        if (!"http".equalsIgnoreCase(uri.getScheme()) || allowedOverHttp) {
            return;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        boolean loopback =
                host.equals("localhost")
                        || host.startsWith("127.")
                        || host.equals("[::1]")
                        || host.equals("::1");
        ConfigException.require(
                loopback,
                urlKey,
                "basic auth credentials are set, and would travel in clear text over http:// to "
                        + host
                        + "; use https, or set "
                        + allowKey
                        + ": true to accept that");
    }
}
