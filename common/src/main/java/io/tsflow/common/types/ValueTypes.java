package io.tsflow.common.types;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The known value types: the built-ins plus every extension found with {@link ServiceLoader}. */
public final class ValueTypes implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, ValueType> byName;

    private ValueTypes(Map<String, ValueType> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Built-ins and extensions visible to {@code classLoader}. */
    public static ValueTypes discover(ClassLoader classLoader) {
        Map<String, ValueType> types = new TreeMap<>();
        for (ValueType builtin : BuiltinTypes.all()) {
            types.put(builtin.name(), builtin);
        }
        for (ValueType extension : ServiceLoader.load(ValueType.class, classLoader)) {
            ValueType previous = types.putIfAbsent(extension.name(), extension);
            if (previous != null && previous.getClass() != extension.getClass()) {
                throw new IllegalStateException(
                        "two value types are named '"
                                + extension.name()
                                + "': "
                                + previous.getClass().getName()
                                + " and "
                                + extension.getClass().getName());
            }
        }
        return new ValueTypes(types);
    }

    public Optional<ValueType> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
