package io.tsflow.alerts.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * The job-wide clocks of watching: how often a firing alert is re-sent to Alertmanager (so that its
 * resolve_timeout never ends it), and the backlog gate's settings (see {@link BacklogGate}) with
 * how soon a stale check held back by the gate is tried again.
 */
public record WatchTiming(
        Duration resendEvery,
        Duration maxLag,
        Duration startupGrace,
        Duration activeWithin,
        Duration recheckEvery)
        implements Serializable {

    public static WatchTiming defaults() {
        return new WatchTiming(
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1));
    }
}
