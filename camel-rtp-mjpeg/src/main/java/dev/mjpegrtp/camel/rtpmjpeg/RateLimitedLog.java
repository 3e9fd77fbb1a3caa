package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Logs failures a peer can trigger at will at most once per kind (the class of the root cause: Camel wraps what a route
 * throws) per period, with how many more of that kind came since the last line, so that an attacker cannot fill the
 * log. An {@link Error} (out of memory, stack overflow) is logged at ERROR with its stack, since the process may be in
 * trouble; an exception at WARN.
 */
public final class RateLimitedLog {

    /** One line per kind per minute: enough to see an attack go on, not enough to fill a disk. */
    static final long DEFAULT_PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final long periodNanos;
    private final ConcurrentHashMap<Class<?>, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log) {
        this(log, DEFAULT_PERIOD_NANOS);
    }

    RateLimitedLog(Logger log, long periodNanos) {
        this.log = log;
        this.periodNanos = periodNanos;
    }

    /** Logs {@code message} with {@code failure} unless one of its kind was logged less than a period ago. */
    public void failure(String message, Throwable failure) {
        long now = System.nanoTime();
        Throwable cause = rootCause(failure);
        Window window = windows.computeIfAbsent(cause.getClass(), kind -> new Window());
        long suppressed;
        synchronized (window) {
            if (window.logged && now - window.lastLoggedNanos < periodNanos) {
                window.suppressed++;
                return;
            }
            suppressed = window.suppressed;
            window.suppressed = 0;
            window.lastLoggedNanos = now;
            window.logged = true;
        }
        String line = suppressed == 0 ? message
                : message + " (" + suppressed + " more of this kind not logged since the last such line)";
        if (cause instanceof Error) {
            log.error(line, failure);
        } else {
            log.warn(line + ": " + cause);
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static final class Window {
        boolean logged;
        long lastLoggedNanos;
        long suppressed;
    }
}
