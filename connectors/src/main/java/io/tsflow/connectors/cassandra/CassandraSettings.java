package io.tsflow.connectors.cassandra;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Keys;
import io.tsflow.common.config.Secret;
import io.tsflow.common.config.Validatable;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach Cassandra and how to write to it. Credentials come from {@code
 * TSFLOW_CASSANDRA_USERNAME} and {@code TSFLOW_CASSANDRA_PASSWORD}, the TLS truststore password
 * from {@code TSFLOW_CASSANDRA_TRUSTSTORE_PASSWORD} (each or its {@code _FILE} twin), never from
 * the file.
 *
 * <p>{@code replication} is the keyspace's replication map: {@code {class: SimpleStrategy,
 * replication_factor: 1}} for one node, {@code {class: NetworkTopologyStrategy, dc1: 3, dc2: 3}}
 * for several sites.
 */
public record CassandraSettings(
        List<String> contactPoints,
        String localDatacenter,
        String keyspace,
        Map<String, Object> replication,
        String consistency,
        Duration requestTimeout,
        Integer maxInFlight,
        Integer batchRows,
        Integer maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        String truststore)
        implements Validatable, Serializable {

    public static final String USERNAME_VARIABLE = "TSFLOW_CASSANDRA_USERNAME";
    public static final String PASSWORD_VARIABLE = "TSFLOW_CASSANDRA_PASSWORD";
    public static final String TRUSTSTORE_PASSWORD_VARIABLE =
            "TSFLOW_CASSANDRA_TRUSTSTORE_PASSWORD";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
    private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> CONSISTENCY_LEVELS =
            Set.of(
                    "ONE",
                    "TWO",
                    "THREE",
                    "QUORUM",
                    "ALL",
                    "LOCAL_QUORUM",
                    "EACH_QUORUM",
                    "LOCAL_ONE");

    @JsonCreator
    public CassandraSettings(
            @JsonProperty("contactPoints") List<String> contactPoints,
            @JsonProperty("localDatacenter") String localDatacenter,
            @JsonProperty("keyspace") String keyspace,
            @JsonProperty("replication") Map<String, Object> replication,
            @JsonProperty("consistency") String consistency,
            @JsonProperty("requestTimeout") Duration requestTimeout,
            @JsonProperty("maxInFlight") Integer maxInFlight,
            @JsonProperty("batchRows") Integer batchRows,
            @JsonProperty("maxAttempts") Integer maxAttempts,
            @JsonProperty("initialBackoff") Duration initialBackoff,
            @JsonProperty("maxBackoff") Duration maxBackoff,
            @JsonProperty("truststore") String truststore) {
        this.contactPoints = contactPoints == null ? List.of() : List.copyOf(contactPoints);
        this.localDatacenter = localDatacenter == null ? "datacenter1" : localDatacenter;
        this.keyspace = keyspace == null ? "tsflow" : keyspace;
        this.replication =
                replication == null
                        ? Map.of("class", "SimpleStrategy", "replication_factor", 1)
                        : new LinkedHashMap<>(replication);
        this.consistency = consistency == null ? "LOCAL_QUORUM" : consistency;
        this.requestTimeout = requestTimeout == null ? Duration.ofSeconds(5) : requestTimeout;
        this.maxInFlight = maxInFlight == null ? 256 : maxInFlight;
        this.batchRows = batchRows == null ? 32 : batchRows;
        this.maxAttempts = maxAttempts == null ? 0 : maxAttempts;
        this.initialBackoff = initialBackoff == null ? Duration.ofMillis(100) : initialBackoff;
        this.maxBackoff = maxBackoff == null ? Duration.ofSeconds(5) : maxBackoff;
        this.truststore = truststore;
    }

    /** Local defaults against one contact point. */
    public static CassandraSettings local(String contactPoint, String keyspace) {
        return new CassandraSettings(
                List.of(contactPoint),
                null,
                keyspace,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public CassandraSettings withRetries(int attempts, Duration initial, Duration max) {
        return new CassandraSettings(
                contactPoints,
                localDatacenter,
                keyspace,
                replication,
                consistency,
                requestTimeout,
                maxInFlight,
                batchRows,
                attempts,
                initial,
                max,
                truststore);
    }

    /** The same settings with other write concurrency and batch size (benchmarks, tests). */
    public CassandraSettings withWrites(int inFlight, int rowsPerBatch) {
        return new CassandraSettings(
                contactPoints,
                localDatacenter,
                keyspace,
                replication,
                consistency,
                requestTimeout,
                inFlight,
                rowsPerBatch,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                truststore);
    }

    /** The same settings with client TLS against {@code truststorePath} (null: no TLS). */
    public CassandraSettings withTruststore(String truststorePath) {
        return new CassandraSettings(
                contactPoints,
                localDatacenter,
                keyspace,
                replication,
                consistency,
                requestTimeout,
                maxInFlight,
                batchRows,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                truststorePath);
    }

    @Override
    public void validate(String path) {
        ConfigException.require(
                !contactPoints.isEmpty(),
                Keys.join(path, "contactPoints"),
                "needs at least one host:port");
        for (int i = 0; i < contactPoints.size(); i++) {
            String point = contactPoints.get(i);
            ConfigException.require(
                    point.matches("[^:\\s]+:\\d{1,5}"),
                    Keys.join(path, "contactPoints[" + i + "]"),
                    "must be host:port, got '" + point + "'");
        }
        ConfigException.require(
                DATACENTER.matcher(localDatacenter).matches(),
                Keys.join(path, "localDatacenter"),
                "is not a datacenter name");
        ConfigException.require(
                IDENTIFIER.matcher(keyspace).matches(),
                Keys.join(path, "keyspace"),
                "must be a CQL identifier (letter, then letters, digits, _; at most 48)");
        ConfigException.require(
                !consistency.equals("ANY"),
                Keys.join(path, "consistency"),
                "ANY is refused: it acknowledges a write that no replica has stored, only a hint");
        ConfigException.require(
                CONSISTENCY_LEVELS.contains(consistency),
                Keys.join(path, "consistency"),
                "must be one of " + CONSISTENCY_LEVELS);
        ConfigException.require(
                maxInFlight >= 1 && maxInFlight <= 10_000,
                Keys.join(path, "maxInFlight"),
                "must be between 1 and 10000");
        ConfigException.require(
                batchRows >= 1 && batchRows <= 1_000,
                Keys.join(path, "batchRows"),
                "must be between 1 and 1000 (1: no batches)");
        ConfigException.require(
                maxAttempts >= 0 && maxAttempts <= 100,
                Keys.join(path, "maxAttempts"),
                "must be between 0 (retry without limit) and 100");
        validateReplication(Keys.join(path, "replication"));
    }

    private void validateReplication(String key) {
        Object strategy = replication.get("class");
        ConfigException.require(
                "SimpleStrategy".equals(strategy) || "NetworkTopologyStrategy".equals(strategy),
                key + ".class",
                "must be SimpleStrategy or NetworkTopologyStrategy");
        for (Map.Entry<String, Object> entry : replication.entrySet()) {
            if (entry.getKey().equals("class")) {
                continue;
            }
            ConfigException.require(
                    DATACENTER.matcher(entry.getKey()).matches(),
                    key + "." + entry.getKey(),
                    "is not a datacenter name");
            ConfigException.require(
                    entry.getValue() instanceof Integer factor && factor >= 1 && factor <= 20,
                    key + "." + entry.getKey(),
                    "must be a replication factor between 1 and 20");
        }
        if ("SimpleStrategy".equals(strategy)) {
            ConfigException.require(
                    replication.keySet().equals(Set.of("class", "replication_factor")),
                    key,
                    "SimpleStrategy takes exactly one key besides class: replication_factor");
        } else {
            ConfigException.require(
                    replication.size() >= 2,
                    key,
                    "NetworkTopologyStrategy needs a factor per datacenter");
        }
    }

    /** The replication map as a CQL literal, for CREATE KEYSPACE. */
    public String replicationCql() {
        StringBuilder cql = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : replication.entrySet()) {
            if (cql.length() > 1) {
                cql.append(", ");
            }
            // Validated values only (strategy names, datacenter names, integer factors): quoting is
            // safe.
            cql.append('\'')
                    .append(entry.getKey())
                    .append("': '")
                    .append(entry.getValue())
                    .append('\'');
        }
        return cql.append('}').toString();
    }

    Optional<Secret> username() {
        return Secret.fromEnvironment(USERNAME_VARIABLE);
    }

    Optional<Secret> password() {
        return Secret.fromEnvironment(PASSWORD_VARIABLE);
    }

    Optional<Secret> truststorePassword() {
        return Secret.fromEnvironment(TRUSTSTORE_PASSWORD_VARIABLE);
    }
}
