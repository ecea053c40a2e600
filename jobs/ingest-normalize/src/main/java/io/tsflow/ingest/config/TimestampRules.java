package io.tsflow.ingest.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which timestamps are accepted, and how bare numbers are read. Bounds are judged against the Kafka
 * record's timestamp, not the wall clock, so replaying a topic after a failure accepts and rejects
 * exactly what the first run did; only a record stamped ahead of the wall clock is judged against
 * the wall clock instead, so that a gateway whose clock runs years ahead cannot pass its points.
 *
 * @param maxFutureSkew how far past the record's timestamp (or the wall clock, if earlier) a point
 *     may lie (clock skew of gateways)
 * @param oldest the oldest instant accepted at all
 * @param maxAge if set, how far before the record's timestamp a point may lie
 * @param epochUnit unit of numeric timestamps in JSON: s, ms, us or ns
 * @param influxPrecision unit of Influx line-protocol timestamps: s, ms, us or ns
 */
public record TimestampRules(
        Duration maxFutureSkew,
        Instant oldest,
        Duration maxAge,
        String epochUnit,
        String influxPrecision)
        implements Validatable, Serializable {

    private static final Set<String> UNITS = Set.of("s", "ms", "us", "ns");

    @JsonCreator
    public TimestampRules(
            @JsonProperty("maxFutureSkew") Duration maxFutureSkew,
            @JsonProperty("oldest") Instant oldest,
            @JsonProperty("maxAge") Duration maxAge,
            @JsonProperty("epochUnit") String epochUnit,
            @JsonProperty("influxPrecision") String influxPrecision) {
        this.maxFutureSkew = maxFutureSkew == null ? Duration.ofHours(1) : maxFutureSkew;
        this.oldest = oldest == null ? Instant.parse("1990-01-01T00:00:00Z") : oldest;
        this.maxAge = maxAge;
        this.epochUnit = epochUnit == null ? "ms" : epochUnit;
        this.influxPrecision = influxPrecision == null ? "ns" : influxPrecision;
    }

    public static TimestampRules defaults() {
        return new TimestampRules(null, null, null, null, null);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(
                !maxFutureSkew.isNegative(),
                Keys.join(path, "maxFutureSkew"),
                "must not be negative");
        ConfigException.require(
                maxAge == null || !(maxAge.isNegative() || maxAge.isZero()),
                Keys.join(path, "maxAge"),
                "must be positive");
        ConfigException.require(
                UNITS.contains(epochUnit), Keys.join(path, "epochUnit"), "must be one of " + UNITS);
        ConfigException.require(
                UNITS.contains(influxPrecision),
                Keys.join(path, "influxPrecision"),
                "must be one of " + UNITS);
    }

    /** Microseconds in one unit, or a negative divisor for nanoseconds. */
    public static long microsPerUnit(String unit) {
        return switch (unit) {
            case "s" -> 1_000_000L;
            case "ms" -> 1_000L;
            case "us" -> 1L;
            case "ns" -> -1_000L;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
