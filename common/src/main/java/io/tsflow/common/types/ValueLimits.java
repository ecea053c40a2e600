package io.tsflow.common.types;

import java.io.Serializable;

/** Size limits for variable-length values, in bytes. */
public record ValueLimits(int maxTextBytes, int maxBinaryBytes) implements Serializable {

    public static final ValueLimits DEFAULTS = new ValueLimits(64 * 1024, 256 * 1024);
}
