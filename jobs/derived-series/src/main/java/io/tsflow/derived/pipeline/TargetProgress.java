package io.tsflow.derived.pipeline;

import io.tsflow.runtime.SilenceTimer;
import java.util.Arrays;

/**
 * How far one derived series has come, and how far each of its input series has: per input series
 * (a member), the newest event time it has sent and when it last sent anything (processing time).
 * The derived series' clock is the slowest member still sending, so a step is computed once every
 * input it needs has passed it, whatever order a backlog or a late gateway brings them in. A Flink
 * POJO, one per derived series.
 */
public class TargetProgress {

    /** Nothing yet. */
    public static final long NONE = Long.MIN_VALUE;

    public String[] members = new String[0];
    public long[] newestMillis = new long[0];
    public long[] lastArrivalMillis = new long[0];

    /** When the derived series was first seen (processing time). */
    public long createdAtMillis = NONE;

    /** The earliest point any member sent: the first step is the one at or after it. */
    public long firstEventMillis = NONE;

    /** The last step computed for good. */
    public long computedThroughMillis = NONE;

    public long wakeAtMillis = SilenceTimer.NONE;

    public TargetProgress() {}

    /** Records a point of {@code member}, adding the member if it is new. */
    void arrived(String member, long eventMillis, long nowMillis) {
        int at = indexOf(member);
        if (at < 0) {
            at = members.length;
            members = Arrays.copyOf(members, at + 1);
            members[at] = member;
            newestMillis = Arrays.copyOf(newestMillis, at + 1);
            newestMillis[at] = eventMillis;
            lastArrivalMillis = Arrays.copyOf(lastArrivalMillis, at + 1);
        }
        newestMillis[at] = Math.max(newestMillis[at], eventMillis);
        lastArrivalMillis[at] = nowMillis;
        firstEventMillis =
                firstEventMillis == NONE ? eventMillis : Math.min(firstEventMillis, eventMillis);
    }

    int indexOf(String member) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].equals(member)) {
                return i;
            }
        }
        return -1;
    }

    /** Drops a member (its points have all aged out of every window). */
    void remove(String member) {
        int at = indexOf(member);
        if (at < 0) {
            return;
        }
        members = without(members, at);
        long[] newest = new long[newestMillis.length - 1];
        long[] arrivals = new long[lastArrivalMillis.length - 1];
        for (int from = 0, to = 0; from < members.length + 1; from++) {
            if (from != at) {
                newest[to] = newestMillis[from];
                arrivals[to] = lastArrivalMillis[from];
                to++;
            }
        }
        newestMillis = newest;
        lastArrivalMillis = arrivals;
    }

    private static String[] without(String[] values, int at) {
        String[] fewer = new String[values.length - 1];
        System.arraycopy(values, 0, fewer, 0, at);
        System.arraycopy(values, at + 1, fewer, at, values.length - at - 1);
        return fewer;
    }

    /** The newest event time of any member. */
    long newestOfAll() {
        long newest = NONE;
        for (long millis : newestMillis) {
            newest = Math.max(newest, millis);
        }
        return newest;
    }

    /** When any member last sent (processing time). */
    long lastArrivalOfAll() {
        long last = NONE;
        for (long millis : lastArrivalMillis) {
            last = Math.max(last, millis);
        }
        return last;
    }
}
