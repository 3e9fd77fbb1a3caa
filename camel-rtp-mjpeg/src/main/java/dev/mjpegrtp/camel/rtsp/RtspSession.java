package dev.mjpegrtp.camel.rtsp;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;

/**
 * An RTSP session (RFC 2326 §3): one viewer of one path from SETUP to TEARDOWN, or until it goes silent for the
 * session timeout. Keep-alive requests and the viewer's RTCP keep it alive. Its id is a credential once it plays:
 * whoever knows it controls the session, so {@link #toString} leaves it out of logs.
 */
final class RtspSession {

    private final String id;
    private final RtspStream stream;
    private final RtpViewer viewer;
    private final Channel connection;
    private final InetSocketAddress client;
    /** Where the viewer's RTCP comes from: its address and RTCP port; null for TCP viewers. */
    private final InetSocketAddress rtcpSource;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long createdNanos = System.nanoTime();
    private volatile long lastSeenNanos = createdNanos;
    private volatile boolean played;
    private volatile boolean orphaned;
    /** The SSRC the viewer's RTCP reports carry, learned from its first report about our stream; -1 until then. */
    private volatile long viewerSsrc = -1;

    RtspSession(String id, RtspStream stream, RtpViewer viewer, Channel connection, InetSocketAddress rtcpSource) {
        this.id = id;
        this.stream = stream;
        this.viewer = viewer;
        this.connection = connection;
        this.client = (InetSocketAddress) connection.remoteAddress();
        this.rtcpSource = rtcpSource;
    }

    /** The viewer showed it is still there: a request in this session, or RTCP. */
    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    boolean silentFor(long nowNanos, long timeoutNanos) {
        return nowNanos - lastSeenNanos > timeoutNanos;
    }

    /**
     * PLAY was asked for: from now on the setup timeout no longer applies.
     *
     * @return whether this was the session's first PLAY
     */
    boolean markPlayed() {
        boolean first = !played;
        played = true;
        return first;
    }

    boolean played() {
        return played;
    }

    /** The RTSP connection it was set up on closed; a UDP session may go on while its viewer's RTCP comes. */
    void orphan() {
        orphaned = true;
    }

    boolean orphaned() {
        return orphaned;
    }

    long viewerSsrc() {
        return viewerSsrc;
    }

    void viewerSsrc(long ssrc) {
        viewerSsrc = ssrc;
    }

    /** True for the one caller that ends the session. */
    boolean markEnded() {
        return ended.compareAndSet(false, true);
    }

    boolean ended() {
        return ended.get();
    }

    boolean interleaved() {
        return rtcpSource == null;
    }

    String id() {
        return id;
    }

    RtspStream stream() {
        return stream;
    }

    RtpViewer viewer() {
        return viewer;
    }

    /** The RTSP connection the session was set up on; TCP viewers' packets flow on it. */
    Channel connection() {
        return connection;
    }

    InetSocketAddress client() {
        return client;
    }

    InetSocketAddress rtcpSource() {
        return rtcpSource;
    }

    long createdNanos() {
        return createdNanos;
    }

    @Override
    public String toString() {
        return "session of " + client.getAddress().getHostAddress() + ":" + client.getPort() + " on /"
                + stream.path() + " (" + viewer.sink().describe() + ")";
    }
}
