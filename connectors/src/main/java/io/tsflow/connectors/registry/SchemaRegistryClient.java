package io.tsflow.connectors.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsflow.common.config.BasicAuth;
import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import io.tsflow.common.text.Abbreviation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small caching client for the Confluent Schema Registry REST API (also served by Apicurio under
 * {@code /apis/ccompat/v7}, Karapace and Redpanda). Schemas are immutable per id, so lookups by id
 * are cached forever; registrations are cached per subject and schema. Transient failures (I/O,
 * HTTP 5xx) are retried with exponential backoff; a 404 is final and reported as {@link
 * SchemaNotFoundException}.
 */
public class SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Map<String, Object> SUBJECT_LOCKS = new ConcurrentHashMap<>();

    private final String baseUrl;
    private final RegistrySettings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final String authorization;
    private final String username;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistrySettings settings) {
        this(settings, settings.username(), settings.password());
    }

    /** With credentials given rather than read from the environment. */
    SchemaRegistryClient(
            RegistrySettings settings, Optional<Secret> username, Optional<Secret> password) {
        this.settings = settings;
        this.username = username.map(Secret::reveal).orElse(null);
        this.baseUrl =
                settings.url().endsWith("/")
                        ? settings.url().substring(0, settings.url().length() - 1)
                        : settings.url();
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.authorization = BasicAuth.header(username, password);
        if (authorization != null) {
            BasicAuth.requireSafeTransport(
                    settings.url(),
                    settings.allowBasicAuthOverHttp(),
                    "schemaRegistry.url",
                    "schemaRegistry.allowBasicAuthOverHttp");
        }
    }

    /**
     * Checks that the registry answers and accepts this client's credentials, so that a job fails
     * at start with a clear message rather than at its first record.
     *
     * @throws CredentialsRefusedException on HTTP 401 or 403
     */
    public void checkAccess() throws IOException {
        try {
            send("GET", "/subjects", null);
        } catch (SchemaNotFoundException e) {
            throw new IOException(
                    "no Confluent-compatible registry API at "
                            + baseUrl
                            + " (GET /subjects answered 404); for Apicurio the URL ends in"
                            + " /apis/ccompat/v7",
                    e);
        }
    }

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    public int register(String subject, Schema schema) throws IOException, SchemaNotFoundException {
        String text = schema.toString();
        String cacheKey = subject + '\u0000' + text;
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = json.createObjectNode();
        body.put("schema", text);
        body.put("schemaType", "AVRO");
        JsonNode answer;
        // One registration per subject at a time in this JVM: the writers of a job's subtasks share
        // a
        // TaskManager, and registries such as Apicurio's in-memory store fail concurrent first
        // registrations of one subject with lock timeouts (HTTP 500).
        synchronized (SUBJECT_LOCKS.computeIfAbsent(subject, s -> new Object())) {
            answer = registerOrLookUp(subject, body.toString());
        }
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new IOException("registry answered a registration without an id: " + answer);
        }
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        LOG.info(
                "Schema {} registered under subject {} with id {}",
                schema.getFullName(),
                subject,
                id);
        return id;
    }

    /**
     * Registers, or when another writer is registering the same subject at the same moment
     * (Apicurio answers 409 where Confluent returns the id), looks the schema up under the subject;
     * the other writer's registration may not be visible yet, so the pair is retried briefly.
     */
    private JsonNode registerOrLookUp(String subject, String body)
            throws IOException, SchemaNotFoundException {
        String path = "/subjects/" + encode(subject);
        // Most starts find the schema registered already: a lookup is a read, while registering
        // takes locks that a registry (Apicurio's in-memory store) times out on when many writers
        // of a starting job register at once.
        try {
            return send("POST", path, body);
        } catch (SchemaNotFoundException notRegisteredYet) {
            // Register it below.
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return send("POST", path + "/versions", body);
            } catch (ConflictException conflict) {
                try {
                    return send("POST", path, body);
                } catch (SchemaNotFoundException notVisibleYet) {
                    if (attempt >= 10) {
                        throw new IOException(
                                "subject "
                                        + subject
                                        + " stays in conflict: "
                                        + conflict.getMessage(),
                                notVisibleYet);
                    }
                    sleep(50L * attempt);
                }
            }
        }
    }

    /** The schema with global id {@code id}. */
    public Schema schemaById(int id) throws IOException, SchemaNotFoundException {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = avroSchema(answer, "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    /**
     * The Avro schema of a registry answer; a JSON Schema or Protobuf schema (field {@code
     * schemaType}, absent for Avro) or text that Avro cannot parse is refused.
     */
    private static Schema avroSchema(JsonNode answer, String what) throws NotAvroSchemaException {
        String type = answer.path("schemaType").asText("AVRO");
        if (!type.isEmpty() && !type.equals("AVRO")) {
            throw new NotAvroSchemaException(what + " is a " + type + " schema, not Avro");
        }
        try {
            return new Schema.Parser().parse(answer.path("schema").asText());
        } catch (RuntimeException e) {
            // SchemaParseException, or Jackson's errors on text that is not JSON at all.
            throw new NotAvroSchemaException(
                    what + " does not parse as an Avro schema: " + e.getClass().getSimpleName());
        }
    }

    /** The version numbers registered under {@code subject}, oldest first. */
    public List<Integer> versions(String subject) throws IOException, SchemaNotFoundException {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null);
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    /** The schema registered as {@code version} (a number or "latest") of {@code subject}. */
    public Schema schemaByVersion(String subject, String version)
            throws IOException, SchemaNotFoundException {
        JsonNode answer =
                send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
        return avroSchema(answer, "subject " + subject + " version " + version);
    }

    private JsonNode send(String method, String path, String body)
            throws IOException, SchemaNotFoundException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(settings.requestTimeout())
                        .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        HttpRequest built = request.build();
        IOException last = null;
        long backoffMillis = 100;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                HttpResponse<String> response =
                        http.send(
                                built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 404) {
                    throw new SchemaNotFoundException(
                            "registry has no "
                                    + path
                                    + ": "
                                    + Abbreviation.abbreviate(response.body(), 300));
                }
                if (status >= 200 && status < 300) {
                    return json.readTree(response.body());
                }
                if (status == 401 || status == 403) {
                    throw refusedCredentials(status);
                }
                if (status == 409) {
                    throw new ConflictException(Abbreviation.abbreviate(response.body(), 300));
                }
                if (status < 500 && status != 429) {
                    throw new RefusedException(
                            "registry refused "
                                    + method
                                    + " "
                                    + path
                                    + " with HTTP "
                                    + status
                                    + ": "
                                    + Abbreviation.abbreviate(response.body(), 300));
                }
                last = new IOException("registry answered HTTP " + status + " to " + path);
            } catch (ConflictException | RefusedException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while calling the schema registry", e);
            }
            if (attempt < settings.maxAttempts()) {
                LOG.warn(
                        "Schema registry call {} {} failed (attempt {}/{}): {}; retrying in {} ms",
                        method,
                        path,
                        attempt,
                        settings.maxAttempts(),
                        last.getMessage(),
                        backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, Duration.ofSeconds(5).toMillis());
            }
        }
        throw new RegistryUnavailableException(
                "schema registry at "
                        + baseUrl
                        + " failed "
                        + settings.maxAttempts()
                        + " times for "
                        + method
                        + " "
                        + path,
                last);
    }

    private CredentialsRefusedException refusedCredentials(int status) {
        String variables =
                RegistrySettings.USERNAME_VARIABLE + " and " + RegistrySettings.PASSWORD_VARIABLE;
        return new CredentialsRefusedException(
                username == null
                        ? "the schema registry at "
                                + baseUrl
                                + " requires credentials (HTTP "
                                + status
                                + "): set "
                                + variables
                                + " (or their _FILE twins)"
                        : "the schema registry at "
                                + baseUrl
                                + " refused user '"
                                + username
                                + "' (HTTP "
                                + status
                                + "): check "
                                + variables);
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry the schema registry", e);
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** HTTP 409: the subject was created concurrently, or the schema is incompatible with it. */
    private static final class ConflictException extends IOException {
        ConflictException(String message) {
            super("registry answered 409 Conflict: " + message);
        }
    }

    /** A 4xx answer other than 404, 409 and 429: retrying will not help. */
    private static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }
}
