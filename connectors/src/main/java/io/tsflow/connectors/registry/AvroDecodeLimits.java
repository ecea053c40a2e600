package io.tsflow.connectors.registry;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps what Avro allocates for one string, byte array or collection while decoding untrusted bytes.
 * Without a cap, a record of ten bytes whose length prefix claims a gigabyte makes Avro allocate
 * that gigabyte and the job dies of OutOfMemoryError. No field of a Kafka record can be longer than
 * the record, so the caps sit well above any real record and far below the heap.
 *
 * <p>Avro reads its limits from system properties once, in a static initializer that may already
 * have run by the time a job's code is loaded; so the properties are set (unless the operator set
 * them) and Avro is asked to read them again.
 */
public final class AvroDecodeLimits {

    private static final Logger LOG = LoggerFactory.getLogger(AvroDecodeLimits.class);
    public static final int MAX_BYTES = 64 * 1024 * 1024;
    public static final int MAX_ITEMS = 16 * 1024 * 1024;
    private static volatile boolean applied;

    private AvroDecodeLimits() {}

    public static void apply() {
        if (applied) {
            return;
        }
        synchronized (AvroDecodeLimits.class) {
            if (applied) {
                return;
            }
            setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES);
            setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_BYTES);
            setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
            try {
                Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
                reset.setAccessible(true);
                reset.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn(
                        "Could not make Avro re-read its decode limits; they apply only if set"
                                + " before Avro was first used: {}",
                        e.toString());
            }
            applied = true;
        }
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
