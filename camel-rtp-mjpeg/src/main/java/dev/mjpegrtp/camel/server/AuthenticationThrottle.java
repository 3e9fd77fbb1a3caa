package dev.mjpegrtp.camel.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed authentications per client address, for one server (RTSP or HTTP): an address with {@code maxFailures} failures within a
 * window is refused (503 with Retry-After) on every protected path until the window that began with its first failure
 * ends, right password or not, so that guessing costs a window per {@code maxFailures} guesses.
 *
 * <p>Memory is bounded: at most {@link #MAX_TRACKED_ADDRESSES} addresses are tracked, the one whose window began first
 * is forgotten to make room; IPv6 clients count per /64, the block one host usually has. Logging is bounded too: the
 * first failure of an address in a window and the moment it is throttled are logged, the rest is summed up once a
 * window.
 */
public final class AuthenticationThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationThrottle.class);
    /** About 120 bytes each (address, count, map entry). */
    static final int MAX_TRACKED_ADDRESSES = 4096;
    public static final long WINDOW_MILLIS = 60_000;
    private static final int IPV6_HOST_BLOCK_BYTES = 8;

    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier clockNanos;
    /** Addresses with failures in their current window, eldest window first. */
    private final LinkedHashMap<InetAddress, Failures> byAddress = new LinkedHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private long failuresSinceSummary;
    private long throttledSinceSummary;
    private long summaryDueNanos;

    public AuthenticationThrottle(int maxFailures, long windowMillis, LongSupplier clockNanos) {
        this.maxFailures = maxFailures;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.clockNanos = clockNanos;
        this.summaryDueNanos = clockNanos.getAsLong() + windowNanos;
    }

    /** How long the client must wait before its requests to protected paths are looked at again; 0: not at all. */
    public synchronized long retryAfterMillis(InetAddress client) {
        InetAddress key = key(client);
        Failures entry = byAddress.get(key);
        long now = clockNanos.getAsLong();
        if (entry == null || now - entry.windowStartNanos >= windowNanos) {
            if (entry != null) {
                byAddress.remove(key);
            }
            return 0;
        }
        if (entry.count < maxFailures) {
            return 0;
        }
        throttled.incrementAndGet();
        throttledSinceSummary++;
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(windowNanos - (now - entry.windowStartNanos)));
    }

    /**
     * Counts a failed authentication.
     *
     * @param what the request and why it failed, for the log: {@code DESCRIBE of /door: wrong credentials}
     */
    public synchronized void failed(InetAddress client, String what) {
        failures.incrementAndGet();
        failuresSinceSummary++;
        InetAddress key = key(client);
        long now = clockNanos.getAsLong();
        Failures entry = byAddress.get(key);
        if (entry == null || now - entry.windowStartNanos >= windowNanos) {
            byAddress.remove(key);
            if (byAddress.size() >= MAX_TRACKED_ADDRESSES) {
                Iterator<Failures> eldest = byAddress.values().iterator();
                eldest.next();
                eldest.remove();
            }
            entry = new Failures(now);
            byAddress.put(key, entry);
            LOG.info("Refused {} to {}; further failures from this address are summed up once a minute", what,
                    client.getHostAddress());
        }
        if (++entry.count == maxFailures) {
            LOG.info("Throttling {}: {} failed authentications within {} s of its first; its requests to protected "
                     + "paths get 503 until then", client.getHostAddress(), maxFailures,
                    TimeUnit.NANOSECONDS.toSeconds(windowNanos));
        }
    }

    /** Logs what happened since the last summary, at most once a window; the server calls it every second or so. */
    public synchronized void summarize() {
        long now = clockNanos.getAsLong();
        if (now - summaryDueNanos < 0) {
            return;
        }
        summaryDueNanos = now + windowNanos;
        if (failuresSinceSummary > 0 || throttledSinceSummary > 0) {
            LOG.info("{} failed authentications and {} requests refused while throttled in the last minute; {} "
                     + "addresses tracked", failuresSinceSummary, throttledSinceSummary, byAddress.size());
        }
        failuresSinceSummary = 0;
        throttledSinceSummary = 0;
    }

    /** Failed authentications since the server started. */
    public long failures() {
        return failures.get();
    }

    /** Requests refused because their address was throttled, since the server started. */
    public long throttled() {
        return throttled.get();
    }

    synchronized int trackedAddresses() {
        return byAddress.size();
    }

    /** What failures are counted under: the address, or an IPv6 address's /64. */
    private static InetAddress key(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] block = client.getAddress();
        Arrays.fill(block, IPV6_HOST_BLOCK_BYTES, block.length, (byte) 0);
        try {
            return InetAddress.getByAddress(block);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    private static final class Failures {
        private final long windowStartNanos;
        private int count;

        private Failures(long windowStartNanos) {
            this.windowStartNanos = windowStartNanos;
        }
    }
}
