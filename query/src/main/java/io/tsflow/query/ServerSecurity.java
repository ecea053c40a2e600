package io.tsflow.query;

import com.sun.net.httpserver.BasicAuthenticator;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Secret;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * How the query service protects its port: TLS with a PKCS12 keystore ({@code tls.keystore}, its
 * password from {@code TSFLOW_QUERY_KEYSTORE_PASSWORD}), and HTTP basic auth on every path when
 * {@code TSFLOW_QUERY_USERNAME} and {@code TSFLOW_QUERY_PASSWORD} are set (or their {@code _FILE}
 * twins). Credentials never travel in clear text to another host: basic auth without TLS is only
 * allowed on a loopback address.
 */
public record ServerSecurity(SSLContext tls, BasicAuthenticator authenticator) {

    public static final String USERNAME_VARIABLE = "TSFLOW_QUERY_USERNAME";
    public static final String PASSWORD_VARIABLE = "TSFLOW_QUERY_PASSWORD";
    public static final String KEYSTORE_PASSWORD_VARIABLE = "TSFLOW_QUERY_KEYSTORE_PASSWORD";

    /** Neither TLS nor authentication. */
    public static final ServerSecurity NONE = new ServerSecurity(null, null);

    /** From the configuration and the environment. */
    public static ServerSecurity of(QueryConfig config) {
        return of(
                config.tlsKeystore(),
                Secret.fromEnvironment(KEYSTORE_PASSWORD_VARIABLE),
                Secret.fromEnvironment(USERNAME_VARIABLE),
                Secret.fromEnvironment(PASSWORD_VARIABLE),
                config.host());
    }

    static ServerSecurity of(
            String keystore,
            Optional<Secret> keystorePassword,
            Optional<Secret> username,
            Optional<Secret> password,
            String host) {
        SSLContext tls = keystore == null ? null : tls(Path.of(keystore), keystorePassword);
        BasicAuthenticator authenticator = null;
        if (username.isPresent()) {
            Secret expectedPassword =
                    password.orElseThrow(
                            () ->
                                    new ConfigException(
                                            PASSWORD_VARIABLE
                                                    + ": required with "
                                                    + USERNAME_VARIABLE));
            ConfigException.require(
                    tls != null || host.startsWith("127.") || host.equals("localhost"),
                    "tlsKeystore",
                    "basic auth is on ("
                            + USERNAME_VARIABLE
                            + "), and its credentials would"
                            + " travel in clear text to "
                            + host
                            + "; set a keystore");
            authenticator = new Credentials(username.get(), expectedPassword);
        }
        return new ServerSecurity(tls, authenticator);
    }

    private static SSLContext tls(Path keystore, Optional<Secret> password) {
        char[] secret = password.map(s -> s.reveal().toCharArray()).orElse(new char[0]);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new ConfigException(
                    "tlsKeystore: cannot load "
                            + keystore
                            + " ("
                            + KEYSTORE_PASSWORD_VARIABLE
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Compares in constant time, so that timing does not tell how much of a guess was right. */
    private static final class Credentials extends BasicAuthenticator {
        private final byte[] username;
        private final byte[] password;

        Credentials(Secret username, Secret password) {
            super("tsflow query");
            this.username = username.reveal().getBytes(StandardCharsets.UTF_8);
            this.password = password.reveal().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean checkCredentials(String user, String pass) {
            boolean userMatches =
                    MessageDigest.isEqual(username, user.getBytes(StandardCharsets.UTF_8));
            boolean passwordMatches =
                    MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
            return userMatches & passwordMatches;
        }
    }
}
