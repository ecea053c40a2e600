package io.tsflow.alerts.pipeline;

import io.tsflow.alerts.rules.AlertRule;
import io.tsflow.schema.Alert;
import io.tsflow.schema.AlertStatus;
import java.io.Serializable;

/**
 * The life of one rule's alert on one series, the same for every engine: a condition that turns
 * true is pending for {@code for}, then fires; one that clears while pending never fires; a firing
 * alert whose condition clears is held for {@code keepFiringFor}, then resolves; a firing alert is
 * re-sent every {@code resendEvery}; a series silent for {@code forgetAfter} is forgotten, its
 * alert resolved as expired. All on processing time. The engines decide when the condition holds.
 */
final class AlertLifecycle implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where the changes go: the alerts topic and delivery; re-sends to delivery only. */
    interface Changes {
        void change(Alert change);

        void refresh(Alert firing);
    }

    private final long resendMillis;

    AlertLifecycle(long resendMillis) {
        this.resendMillis = resendMillis;
    }

    void condition(
            AlertRule rule,
            RuleWatch watch,
            boolean holds,
            long now,
            String seriesKey,
            Changes out) {
        if (holds) {
            switch (watch.phase) {
                case RuleWatch.INACTIVE -> {
                    watch.phase = RuleWatch.PENDING;
                    watch.pendingSinceMillis = now;
                    if (rule.pendingMillis() == 0) {
                        fire(rule, watch, now, seriesKey, out);
                    }
                }
                case RuleWatch.PENDING -> {
                    if (now - watch.pendingSinceMillis >= rule.pendingMillis()) {
                        fire(rule, watch, now, seriesKey, out);
                    }
                }
                default -> watch.clearSinceMillis = RuleWatch.NONE;
            }
        } else if (watch.phase == RuleWatch.PENDING) {
            watch.phase = RuleWatch.INACTIVE;
            watch.pendingSinceMillis = RuleWatch.NONE;
        } else if (watch.firing()) {
            if (rule.keepFiringMillis() == 0) {
                resolve(rule, watch, now, seriesKey, null, out);
            } else if (watch.clearSinceMillis == RuleWatch.NONE) {
                watch.clearSinceMillis = now;
            }
        }
    }

    /**
     * True if the series has been silent for {@code forgetAfter}: its alert, if firing, is resolved
     * as expired, and the caller drops the watch.
     */
    boolean forgotten(AlertRule rule, RuleWatch watch, long now, String seriesKey, Changes out) {
        long silentFor = now - watch.lastArrivalMillis;
        if (silentFor < rule.forgetMillis()) {
            return false;
        }
        if (watch.firing()) {
            resolve(
                    rule,
                    watch,
                    now,
                    seriesKey,
                    "expired: silent for " + silentFor / 1000 + " s",
                    out);
        }
        return true;
    }

    /** What is due at {@code now}: a pending alert fires, a held one resolves, a re-send. */
    void due(AlertRule rule, RuleWatch watch, long now, String seriesKey, Changes out) {
        if (watch.phase == RuleWatch.PENDING
                && now - watch.pendingSinceMillis >= rule.pendingMillis()) {
            fire(rule, watch, now, seriesKey, out);
        }
        if (watch.firing()
                && watch.clearSinceMillis != RuleWatch.NONE
                && now - watch.clearSinceMillis >= rule.keepFiringMillis()) {
            resolve(rule, watch, now, seriesKey, null, out);
        }
        if (watch.firing() && now - watch.lastSentMillis >= resendMillis) {
            out.refresh(AlertRecords.build(rule, seriesKey, watch, AlertStatus.FIRING, 0, null));
            watch.lastSentMillis = now;
        }
    }

    /** The next time {@link #due} or {@link #forgotten} has something to do. */
    long nextDeadline(AlertRule rule, RuleWatch watch) {
        long next = watch.lastArrivalMillis + rule.forgetMillis();
        if (watch.phase == RuleWatch.PENDING) {
            next = Math.min(next, watch.pendingSinceMillis + rule.pendingMillis());
        }
        if (watch.firing()) {
            next = Math.min(next, watch.lastSentMillis + resendMillis);
            if (watch.clearSinceMillis != RuleWatch.NONE) {
                next = Math.min(next, watch.clearSinceMillis + rule.keepFiringMillis());
            }
        }
        return next;
    }

    void fire(AlertRule rule, RuleWatch watch, long now, String seriesKey, Changes out) {
        watch.phase = RuleWatch.FIRING;
        watch.pendingSinceMillis = RuleWatch.NONE;
        watch.firingSinceMillis = now;
        watch.clearSinceMillis = RuleWatch.NONE;
        watch.lastSentMillis = now;
        out.change(AlertRecords.build(rule, seriesKey, watch, AlertStatus.FIRING, 0, null));
    }

    private static void resolve(
            AlertRule rule,
            RuleWatch watch,
            long now,
            String seriesKey,
            String reason,
            Changes out) {
        out.change(AlertRecords.build(rule, seriesKey, watch, AlertStatus.RESOLVED, now, reason));
        watch.phase = RuleWatch.INACTIVE;
        watch.pendingSinceMillis = RuleWatch.NONE;
        watch.firingSinceMillis = RuleWatch.NONE;
        watch.clearSinceMillis = RuleWatch.NONE;
        watch.lastSentMillis = RuleWatch.NONE;
    }
}
