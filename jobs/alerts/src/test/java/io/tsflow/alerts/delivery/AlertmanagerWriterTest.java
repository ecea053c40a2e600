package io.tsflow.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertKind;
import io.tsflow.schema.AlertStatus;
import io.tsflow.testing.LocalServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Against the local Alertmanager that {@code scripts/services.sh} runs. */
class AlertmanagerWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String alertmanager = LocalServers.get().alertmanagerUrl();

    private static Alert alert(String name, AlertStatus status, Long endsAt) {
        long now = System.currentTimeMillis();
        return Alert.newBuilder()
                .setFingerprint("fp-" + name)
                .setRule("silent")
                .setKind(AlertKind.STALE)
                .setStatus(status)
                .setSeverity("warning")
                .setSeriesKey("temp{room=\"" + name + "\"}")
                .setMetric("temp")
                .setTagset(Map.of("room", name))
                .setLabels(
                        Map.of(
                                "alertname", "SensorStale",
                                "rule", "silent",
                                "metric", "temp",
                                "room", name,
                                "severity", "warning"))
                .setAnnotations(Map.of("summary", "room " + name + " is silent"))
                .setStartsAtMillis(now - 1000)
                .setEndsAtMillis(endsAt)
                .build();
    }

    /** Waits until Alertmanager shows {@code count} active alerts of {@code room}. */
    private void awaitActive(String room, int count) {
        await().atMost(WAIT)
                .until(
                        () ->
                                AlertmanagerApi.activeAlerts(alertmanager, "room", room).size()
                                        == count);
    }

    private static String uniqueRoom() {
        return UUID.randomUUID().toString();
    }

    private AlertmanagerWriter writer(String... urls) {
        return new AlertmanagerWriter(
                AlertmanagerSettings.of(urls),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    @Test
    void aFiringAlertAppearsWithItsLabelsAndDisappearsWhenResolved() throws Exception {
        String room = uniqueRoom();
        try (AlertmanagerWriter writer = writer(alertmanager)) {
            writer.write(alert(room, AlertStatus.FIRING, null), null);
            awaitActive(room, 1);
            JsonNode shown = AlertmanagerApi.activeAlerts(alertmanager, "room", room).get(0);
            assertThat(shown.path("labels").path("alertname").asText()).isEqualTo("SensorStale");
            assertThat(shown.path("labels").path("rule").asText()).isEqualTo("silent");
            assertThat(shown.path("labels").path("metric").asText()).isEqualTo("temp");
            assertThat(shown.path("annotations").path("summary").asText())
                    .isEqualTo("room " + room + " is silent");
            assertThat(shown.path("generatorURL").asText())
                    .startsWith("http://localhost:8081/?rule=silent&series=temp%7Broom");
            assertThat(shown.path("status").path("state").asText()).isEqualTo("active");

            writer.write(alert(room, AlertStatus.RESOLVED, System.currentTimeMillis()), null);
            awaitActive(room, 0);
            writer.flush(true);
            assertThat(writer.pendingCount()).isZero();
        }
    }

    @Test
    void aDownMemberOfTheHaPairDoesNotHoldUpTheOther() throws Exception {
        String room = uniqueRoom();
        String down = "http://127.0.0.1:1"; // nothing listens on port 1
        try (AlertmanagerWriter writer = writer(down, alertmanager)) {
            writer.write(alert(room, AlertStatus.FIRING, null), null);
            awaitActive(room, 1);
            // The alert waits for the down member, and only for it.
            assertThat(writer.pendingCount()).isEqualTo(1);
        }
    }

    @Test
    void nothingIsLostWhileAlertmanagerIsDown() throws Exception {
        String firing = uniqueRoom();
        String resolvedLater = uniqueRoom();
        try (AlertmanagerWriter writer = writer(alertmanager)) {
            writer.write(alert(resolvedLater, AlertStatus.FIRING, null), null);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    AlertmanagerApi.activeAlerts(
                                                            alertmanager, "room", resolvedLater)
                                                    .size()
                                            == 1);
            LocalServers.services("stop", "alertmanager");
            try {
                writer.write(alert(firing, AlertStatus.FIRING, null), null);
                writer.write(
                        alert(resolvedLater, AlertStatus.RESOLVED, System.currentTimeMillis()),
                        null);
                // Both wait while the posts fail.
                await().atMost(WAIT).until(() -> writer.pendingCount() == 2);
            } finally {
                LocalServers.services("start", "alertmanager");
            }
            // The restarted Alertmanager lost its memory (fresh storage): what it shows now came
            // from the writer's queue after the restart.
            await().atMost(WAIT)
                    .until(
                            () ->
                                    AlertmanagerApi.activeAlerts(alertmanager, "room", firing)
                                                    .size()
                                            == 1);
            await().atMost(WAIT).until(() -> writer.pendingCount() == 0);
            assertThat(AlertmanagerApi.activeAlerts(alertmanager, "room", resolvedLater)).isEmpty();
        }
    }

    /**
     * A RESOLVED queued when a checkpoint is taken, while Alertmanager cannot be reached, survives
     * the failure that follows: the writer restored from that checkpoint delivers it (before, the
     * alert stayed active in Alertmanager until its end time, minutes later).
     */
    @Test
    void aResolvedWaitingAtACheckpointIsDeliveredAfterTheRestore() throws Exception {
        String room = uniqueRoom();
        try (AlertmanagerWriter writer = writer(alertmanager)) {
            writer.write(alert(room, AlertStatus.FIRING, null), null);
            awaitActive(room, 1);
        }
        byte[] checkpoint;
        WaitingAlertsSerializer serializer = new WaitingAlertsSerializer();
        try (AlertmanagerWriter unreachable = writer("http://127.0.0.1:1")) {
            unreachable.write(alert(room, AlertStatus.RESOLVED, System.currentTimeMillis()), null);
            List<List<Alert>> state = unreachable.snapshotState(1);
            assertThat(state).hasSize(1);
            assertThat(state.get(0))
                    .extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.RESOLVED);
            checkpoint = serializer.serialize(state.get(0));
        } // the task fails: its in-memory queue is gone
        try (AlertmanagerWriter restored =
                new AlertmanagerWriter(
                        AlertmanagerSettings.of(alertmanager),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        List.of(serializer.deserialize(serializer.getVersion(), checkpoint)))) {
            awaitActive(room, 0);
            await().atMost(WAIT).until(() -> restored.pendingCount() == 0);
            assertThat(restored.snapshotState(2)).isEmpty();
        }
    }

    /**
     * A gate in front of the real Alertmanager answers the first post 401 (credentials refused) and
     * the second 429 (throttled), then passes every request through: nothing is dropped, the FIRING
     * and then the RESOLVED reach Alertmanager.
     */
    @Test
    void refusedCredentialsAndThrottlingAreRetriedUntilEveryChangeArrives() throws Exception {
        String room = uniqueRoom();
        java.util.concurrent.atomic.AtomicInteger posts =
                new java.util.concurrent.atomic.AtomicInteger();
        java.net.http.HttpClient forward = java.net.http.HttpClient.newHttpClient();
        com.sun.net.httpserver.HttpServer gate =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        gate.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    int n = posts.incrementAndGet();
                    int status;
                    byte[] answer;
                    if (n == 1 || n == 2) {
                        status = n == 1 ? 401 : 429;
                        answer = new byte[0];
                    } else {
                        try {
                            java.net.http.HttpResponse<byte[]> passed =
                                    forward.send(
                                            java.net.http.HttpRequest.newBuilder(
                                                            java.net.URI.create(
                                                                    alertmanager
                                                                            + exchange.getRequestURI()
                                                                                    .getPath()))
                                                    .header("Content-Type", "application/json")
                                                    .POST(
                                                            java.net.http.HttpRequest.BodyPublishers
                                                                    .ofByteArray(body))
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                            status = passed.statusCode();
                            answer = passed.body();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            status = 502;
                            answer = new byte[0];
                        }
                    }
                    exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                    if (answer.length > 0) {
                        exchange.getResponseBody().write(answer);
                    }
                    exchange.close();
                });
        gate.start();
        String gated = "http://127.0.0.1:" + gate.getAddress().getPort();
        try (AlertmanagerWriter writer =
                new AlertmanagerWriter(
                        new AlertmanagerSettings(
                                true,
                                List.of(gated),
                                null,
                                null,
                                Duration.ofMillis(200),
                                null,
                                null,
                                null),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup())) {
            writer.write(alert(room, AlertStatus.FIRING, null), null);
            awaitActive(room, 1);
            assertThat(posts.get()).isGreaterThanOrEqualTo(3);
            writer.write(alert(room, AlertStatus.RESOLVED, System.currentTimeMillis()), null);
            awaitActive(room, 0);
            writer.flush(true);
            assertThat(writer.pendingCount()).isZero();
        } finally {
            gate.stop(0);
        }
    }

    @Test
    void onlyAnAnswerCallingTheAlertsInvalidDropsThem() {
        assertThat(AlertmanagerWriter.retryable(401)).isTrue();
        assertThat(AlertmanagerWriter.retryable(403)).isTrue();
        assertThat(AlertmanagerWriter.retryable(429)).isTrue();
        assertThat(AlertmanagerWriter.retryable(503)).isTrue();
        assertThat(AlertmanagerWriter.retryable(-1)).isTrue();
        assertThat(AlertmanagerWriter.retryable(400)).isFalse();
        assertThat(AlertmanagerWriter.retryable(422)).isFalse();
        assertThat(AlertmanagerWriter.retryable(200)).isFalse();
    }

    @Test
    void payloadAnnouncesFiringAlertsAsEndingFourResendsLaterAndResolvedOnesAtTheirEnd() {
        Alert firing = alert("a", AlertStatus.FIRING, null);
        Alert resolved = alert("b", AlertStatus.RESOLVED, 1_700_000_000_000L);
        String body =
                new String(
                        AlertmanagerPayload.of(
                                List.of(firing, resolved),
                                1_700_000_000_000L,
                                240_000,
                                "http://flink:8081/"));
        assertThat(body)
                .contains("\"endsAt\":\"2023-11-14T22:17:20Z\"")
                .contains("\"endsAt\":\"2023-11-14T22:13:20Z\"");
    }
}
