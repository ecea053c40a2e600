package io.tsflow.connectors.kafka;

import java.io.Closeable;
import java.security.Provider;
import java.security.Security;
import org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider;

/**
 * Kafka registers its SCRAM client as a JVM-wide security provider from whichever class loader logs
 * in first, and never again. In a session cluster each job's {@code main} runs in its own class
 * loader that Flink closes after the submission, so the provider left behind by one job's start-up
 * check would fail every later SCRAM login in that JVM with {@code NoClassDefFoundError}. This
 * scope puts this class loader's provider in place for the check; when it closes, a provider from a
 * class loader that can be closed (Flink's user-code class loaders) is taken out again and the one
 * that was there before is put back. A provider from the application class loader stays, as Kafka
 * itself would leave it.
 */
final class ScramProviderScope implements AutoCloseable {

    private static final String NAME = "SASL/SCRAM Client Provider";

    private final Provider previous;

    private ScramProviderScope(Provider previous) {
        this.previous = previous;
    }

    static ScramProviderScope open() {
        synchronized (Security.class) {
            Provider registered = Security.getProvider(NAME);
            Provider previous = null;
            if (registered != null && !isOurs(registered)) {
                previous = registered;
                Security.removeProvider(NAME);
            }
            ScramSaslClientProvider.initialize();
            return new ScramProviderScope(previous);
        }
    }

    @Override
    public void close() {
        if (!(ScramSaslClientProvider.class.getClassLoader() instanceof Closeable)) {
            return;
        }
        synchronized (Security.class) {
            Provider registered = Security.getProvider(NAME);
            if (registered != null && isOurs(registered)) {
                Security.removeProvider(NAME);
            }
            if (previous != null) {
                Security.addProvider(previous);
            }
        }
    }

    private static boolean isOurs(Provider provider) {
        return provider.getClass().getClassLoader()
                == ScramSaslClientProvider.class.getClassLoader();
    }
}
