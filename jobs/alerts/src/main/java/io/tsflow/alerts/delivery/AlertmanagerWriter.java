package io.tsflow.alerts.delivery;

import io.tsflow.common.config.BasicAuth;
import io.tsflow.common.text.Abbreviation;
import io.tsflow.schema.Alert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the alerts not yet delivered to each Alertmanager, newest version per fingerprint (so a
 * long outage costs one entry per alert, not one per re-send), and posts them from its own thread:
 * the task thread only queues. At the end of a bounded input it waits up to {@code drainTimeout}
 * for the queues to empty.
 *
 * <p>The queue is part of each checkpoint: after a failure the restored writer delivers what was
 * still waiting, so a RESOLVED is never lost (FIRING ones would also come back with the next
 * re-send). What was delivered after the checkpoint is delivered again: Alertmanager deduplicates.
 */
final class AlertmanagerWriter implements StatefulSinkWriter<Alert, List<Alert>> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerWriter.class);
    private static final int BATCH = 500;
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final AlertmanagerSettings settings;
    private final HttpClient http;
    private final String authorization;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Object lock = new Object();
    private final Thread sender;
    private final Counter delivered;
    private final Counter failedPosts;
    private final Counter rejected;
    private final Counter authFailures;
    private volatile boolean closed;

    /** One Alertmanager: its queue and its backoff. Guarded by {@code lock}. */
    private static final class Endpoint {
        final URI uri;
        final LinkedHashMap<String, Alert> pending = new LinkedHashMap<>();
        int failures;
        long nextAttemptMillis;

        Endpoint(String base) {
            this.uri = URI.create(base.replaceAll("/+$", "") + "/api/v2/alerts");
        }
    }

    AlertmanagerWriter(AlertmanagerSettings settings, MetricGroup metrics) {
        this(settings, metrics, List.of());
    }

    /** With the alerts a checkpoint found waiting, queued again. */
    AlertmanagerWriter(
            AlertmanagerSettings settings, MetricGroup metrics, Iterable<List<Alert>> restored) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.authorization = BasicAuth.header(settings.username(), settings.password());
        for (String url : settings.urls()) {
            if (authorization != null) {
                BasicAuth.requireSafeTransport(
                        url,
                        settings.allowBasicAuthOverHttp(),
                        "alertmanager.urls",
                        "alertmanager.allowBasicAuthOverHttp");
            }
            endpoints.add(new Endpoint(url));
        }
        MetricGroup group = metrics.addGroup("tsflow");
        delivered = group.counter("alertmanagerAlertsDelivered");
        failedPosts = group.counter("alertmanagerPostsFailed");
        rejected = group.counter("alertmanagerAlertsRejected");
        authFailures = group.counter("alertmanagerAuthFailures");
        group.gauge("alertmanagerAlertsPending", this::pendingCount);
        for (List<Alert> waiting : restored) {
            waiting.forEach(alert -> write(alert, null));
        }
        sender = new Thread(this::sendLoop, "alertmanager-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void write(Alert alert, Context context) {
        synchronized (lock) {
            for (Endpoint endpoint : endpoints) {
                endpoint.pending.remove(alert.getFingerprint()); // newest goes last
                endpoint.pending.put(alert.getFingerprint(), alert);
            }
            lock.notifyAll();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (!endOfInput) {
            return; // never hold a checkpoint hostage to Alertmanager: re-sends cover a failure
        }
        long deadline = System.currentTimeMillis() + settings.drainTimeout().toMillis();
        synchronized (lock) {
            while (pendingCount() > 0 && System.currentTimeMillis() < deadline) {
                lock.wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
            if (pendingCount() > 0) {
                LOG.warn(
                        "input ended with {} alert deliveries still pending after {}",
                        pendingCount(),
                        settings.drainTimeout());
            }
        }
    }

    /** The alerts some Alertmanager has not taken yet, each fingerprint's newest once. */
    @Override
    public List<List<Alert>> snapshotState(long checkpointId) {
        synchronized (lock) {
            LinkedHashMap<String, Alert> waiting = new LinkedHashMap<>();
            for (Endpoint endpoint : endpoints) {
                endpoint.pending.forEach(waiting::putIfAbsent);
            }
            return waiting.isEmpty() ? List.of() : List.of(new ArrayList<>(waiting.values()));
        }
    }

    int pendingCount() {
        synchronized (lock) {
            int pending = 0;
            for (Endpoint endpoint : endpoints) {
                pending += endpoint.pending.size();
            }
            return pending;
        }
    }

    private void sendLoop() {
        while (!closed) {
            try {
                Endpoint due;
                List<Alert> batch;
                synchronized (lock) {
                    due = nextDue();
                    if (due == null) {
                        lock.wait(waitMillis());
                        continue;
                    }
                    batch = new ArrayList<>(BATCH);
                    for (Alert alert : due.pending.values()) {
                        batch.add(alert);
                        if (batch.size() == BATCH) {
                            break;
                        }
                    }
                }
                try {
                    post(due, batch);
                } catch (RuntimeException e) {
                    // Whatever went wrong, the sender lives on: the batch stays queued and the
                    // endpoint is tried again after its backoff.
                    synchronized (lock) {
                        failed(due, e.toString());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether a post that got {@code status} may succeed if sent again: no answer, a server error,
     * throttling (429), a timeout (408), or credentials refused (401, 403: an operator fixes them,
     * and the alerts must still arrive then). Any other 4xx calls the alerts themselves invalid.
     */
    static boolean retryable(int status) {
        return status < 0
                || status / 100 == 5
                || status == 429
                || status == 408
                || status == 401
                || status == 403;
    }

    /** The endpoint with work whose backoff has passed. Called holding the lock. */
    private Endpoint nextDue() {
        long now = System.currentTimeMillis();
        for (Endpoint endpoint : endpoints) {
            if (!endpoint.pending.isEmpty() && endpoint.nextAttemptMillis <= now) {
                return endpoint;
            }
        }
        return null;
    }

    /** How long until an endpoint with work may be tried again. Called holding the lock. */
    private long waitMillis() {
        long now = System.currentTimeMillis();
        long wait = 1000;
        for (Endpoint endpoint : endpoints) {
            if (!endpoint.pending.isEmpty()) {
                wait = Math.min(wait, Math.max(1, endpoint.nextAttemptMillis - now));
            }
        }
        return wait;
    }

    private void post(Endpoint endpoint, List<Alert> batch) throws InterruptedException {
        long now = System.currentTimeMillis();
        byte[] body =
                AlertmanagerPayload.of(
                        batch, now, 4 * settings.resendEvery().toMillis(), settings.generatorUrl());
        HttpRequest.Builder request =
                HttpRequest.newBuilder(endpoint.uri)
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        int status;
        String problem;
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            problem = response.body();
        } catch (IOException e) {
            status = -1;
            problem = e.toString();
        }
        synchronized (lock) {
            if (retryable(status)) {
                if (status == 401 || status == 403) {
                    authFailures.inc();
                    if (endpoint.failures % 20 == 0) {
                        LOG.error(
                                "Alertmanager {} refused this job's credentials (HTTP {}); its"
                                        + " alerts wait until {} and {} are right",
                                endpoint.uri,
                                status,
                                AlertmanagerSettings.USERNAME_VARIABLE,
                                AlertmanagerSettings.PASSWORD_VARIABLE);
                    }
                }
                failed(endpoint, status < 0 ? problem : "HTTP " + status);
            } else {
                for (Alert sent : batch) {
                    // Only if no newer version came meanwhile.
                    endpoint.pending.remove(sent.getFingerprint(), sent);
                }
                if (status / 100 == 2) {
                    delivered.inc(batch.size());
                    if (endpoint.failures > 0) {
                        LOG.info(
                                "Alertmanager {} reachable again after {} failed posts",
                                endpoint.uri,
                                endpoint.failures);
                    }
                } else {
                    // Retrying a request Alertmanager calls invalid cannot succeed.
                    rejected.inc(batch.size());
                    LOG.error(
                            "Alertmanager {} rejected {} alerts with HTTP {}: {}",
                            endpoint.uri,
                            batch.size(),
                            status,
                            Abbreviation.abbreviate(problem, 300));
                }
                endpoint.failures = 0;
                endpoint.nextAttemptMillis = 0;
            }
            lock.notifyAll();
        }
    }

    /** A post to {@code endpoint} failed and may succeed later: back off. Holding the lock. */
    private void failed(Endpoint endpoint, String problem) {
        failedPosts.inc();
        endpoint.failures++;
        long backoff =
                Math.min(
                        settings.maxBackoff().toMillis(),
                        FIRST_BACKOFF_MILLIS << Math.min(endpoint.failures - 1, 20));
        endpoint.nextAttemptMillis = System.currentTimeMillis() + backoff;
        if (endpoint.failures == 1 || endpoint.failures % 20 == 0) {
            LOG.warn(
                    "Alertmanager {} did not take the alerts ({} failed posts, {} alerts waiting,"
                            + " next try in {} ms): {}",
                    endpoint.uri,
                    endpoint.failures,
                    endpoint.pending.size(),
                    backoff,
                    Abbreviation.abbreviate(problem, 300));
        }
        lock.notifyAll();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        sender.interrupt();
        sender.join(5_000);
    }
}
