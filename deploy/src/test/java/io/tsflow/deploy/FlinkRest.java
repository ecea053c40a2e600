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
        return run(jarId, arguments, null);
    }

    /** Runs an uploaded jar, restoring its state from {@code savepoint} when not null. */
    String run(String jarId, List<String> arguments, String savepoint)
            throws IOException, InterruptedException {
        var request = JSON.createObjectNode();
        request.set("programArgsList", JSON.valueToTree(arguments));
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
        }
        return send(HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(2))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        JSON.writeValueAsString(request))))
                .path("jobid")
                .asText();
    }

    /** The body of {@code GET path}, as text. */
    String get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET()).toString();
    }

    String state(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId)).GET())
                .path("state")
                .asText();
    }

    /**
     * Stops the job with a savepoint into {@code directory} and returns its location once written
     * (polled, at most {@code timeout}).
     */
    String stopWithSavepoint(String jobId, String directory, Duration timeout)
            throws IOException, InterruptedException {
        String body =
                JSON.writeValueAsString(
                        JSON.createObjectNode()
                                .put("drain", false)
                                .put("targetDirectory", directory));
        String trigger =
                send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)))
                        .path("request-id")
                        .asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status =
                    send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    base
                                                            + "/jobs/"
                                                            + jobId
                                                            + "/savepoints/"
                                                            + trigger))
                                    .GET());
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException("savepoint failed: " + operation.path("failure-cause"));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(200); // polling the trigger's status: Flink offers no push
        }
        throw new IOException("no savepoint of " + jobId + " within " + timeout);
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
