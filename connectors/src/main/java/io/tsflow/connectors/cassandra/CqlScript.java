package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a CQL schema file from the class path. Statements end with {@code ;} at the end of a line;
 * {@code --} starts a comment; {@code ${name}} is replaced from the variables. Schema files use
 * {@code IF NOT EXISTS} throughout, so applying one again changes nothing.
 */
public final class CqlScript {

    private static final Logger LOG = LoggerFactory.getLogger(CqlScript.class);

    private CqlScript() {}

    public static List<String> statements(String resource, Map<String, String> variables) {
        String text;
        try (InputStream in = CqlScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("CQL script not on the class path: " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CQL script " + resource, e);
        }
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            text = text.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        if (text.contains("${")) {
            throw new IllegalArgumentException(
                    resource
                            + " uses a variable that was not given: "
                            + text.substring(text.indexOf("${")));
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String code = line.contains("--") ? line.substring(0, line.indexOf("--")) : line;
            if (code.isBlank()) {
                continue;
            }
            current.append(code.strip()).append('\n');
            if (code.strip().endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    /**
     * Applies a job's schema script to the configured keyspace, with {@code keyspace} and {@code
     * replication} filled in from the settings: creates what is absent, safe at every start.
     */
    public static void applyToKeyspace(
            CassandraSettings cassandra, String resource, ClassLoader classLoader) {
        try (CqlSession session = CqlSessions.open(cassandra, classLoader)) {
            apply(
                    session,
                    resource,
                    Map.of(
                            "keyspace", cassandra.keyspace(),
                            "replication", cassandra.replicationCql()));
        }
    }

    /** Applies every statement, waiting for schema agreement after each. */
    public static void apply(CqlSession session, String resource, Map<String, String> variables) {
        List<String> statements = statements(resource, variables);
        for (String statement : statements) {
            session.execute(
                    SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(30)));
        }
        session.checkSchemaAgreement();
        LOG.info("Applied CQL schema {} ({} statements)", resource, statements.size());
    }
}
