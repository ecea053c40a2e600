package io.tsflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The parts of Flink's REST API a user submits jobs with: upload a jar, run it with program
 * arguments, read a job's state, cancel it.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(String base) {
        this.base = base;
    }

    /** Uploads {@code jar} and returns its id on the cluster. */
    String upload(Path jar) throws IOException, InterruptedException {
        String boundary = "tsflow-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode reply =
                send(
                        HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = reply.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** Runs an uploaded jar's main class with {@code arguments}; returns the job id. */
    String run(String jarId, List<String> arguments) throws IOException, InterruptedException {
        String body =
                JSON.writeValueAsString(
                        JSON.createObjectNode()
                                .set("programArgsList", JSON.valueToTree(arguments)));
        return send(HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(2))
                        .POST(HttpRequest.BodyPublishers.ofString(body)))
                .path("jobid")
                .asText();
    }

    String state(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId)).GET())
                .path("state")
                .asText();
    }

    void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "Flink REST "
                            + response.uri()
                            + ": HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
