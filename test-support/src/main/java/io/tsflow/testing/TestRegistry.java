package io.tsflow.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tests do to the local schema registry that tsflow's own client never does: register a JSON
 * Schema or Protobuf schema, as another team sharing the registry would.
 */
public final class TestRegistry {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private TestRegistry() {}

    /**
     * Registers {@code schema} of {@code schemaType} (JSON, PROTOBUF) under {@code subject};
     * returns its global id.
     */
    public static int registerForeign(
            String registryUrl, String subject, String schemaType, String schema)
            throws IOException, InterruptedException {
        String body =
                "{\"schemaType\":\""
                        + schemaType
                        + "\",\"schema\":\""
                        + schema.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                        + "\"}";
        HttpResponse<String> answer =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        registryUrl
                                                                + "/subjects/"
                                                                + subject
                                                                + "/versions"))
                                        .header(
                                                "Content-Type",
                                                "application/vnd.schemaregistry.v1+json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(answer.body());
        if (answer.statusCode() != 200 || !id.find()) {
            throw new IOException(
                    "registry refused the " + schemaType + " schema: " + answer.body());
        }
        return Integer.parseInt(id.group(1));
    }

    /** A record in the Confluent wire format: magic byte 0, the schema id, then {@code payload}. */
    public static byte[] wireFormat(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length)
                .put((byte) 0)
                .putInt(schemaId)
                .put(payload)
                .array();
    }
}
