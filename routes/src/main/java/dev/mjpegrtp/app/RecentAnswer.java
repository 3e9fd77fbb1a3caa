package dev.mjpegrtp.app;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An answer computed at most once per {@value #REUSE_MILLIS} ms: requests within that time get the same answer. A
 * scrape costs some milliseconds of a core; whoever reaches the management server could otherwise keep a core busy
 * with requests, and this bounds what they cost to one computation per second per kind of answer (a Prometheus
 * scrape interval or a probe period is a second at the least).
 */
final class RecentAnswer {

    static final long REUSE_MILLIS = 1000;
    private static final long REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(REUSE_MILLIS);

    private final Supplier<ObserveAnswer> computation;
    private ObserveAnswer answer;
    private long computedNanos;

    RecentAnswer(Supplier<ObserveAnswer> computation) {
        this.computation = computation;
    }

    synchronized ObserveAnswer get() {
        long now = System.nanoTime();
        if (answer == null || now - computedNanos >= REUSE_NANOS) {
            answer = computation.get();
            computedNanos = now;
        }
        return answer;
    }
}
