package io.tsflow.common.config;

/** Builds dotted configuration keys for error messages. */
public final class Keys {

    private Keys() {}

    public static String join(String parent, String child) {
        return parent == null || parent.isEmpty() ? child : parent + "." + child;
    }
}
