package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Connections with a 4 KiB receive buffer that send GETs of the metrics and never read the answers: one every so
 * often, or back to back (pipelined) as fast as the socket takes them. A server that answers whatever it reads, read
 * or not, keeps one answer of tens of KB per request.
 */
final class NonReadingScrapers extends HttpAttack {

    private static final int RECEIVE_BUFFER = 4096;
    private static final byte[] REQUEST = ("GET " + MetricsEndpoint.PATH + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    /** Back to back: at most this many requests a round, so that the attacker's own CPU stays bounded. */
    private static final int PIPELINED_PER_ROUND = 64;

    private final int connections;
    private final long intervalNanos;

    /** @param intervalMillis between two requests of a connection; 0 for back to back */
    NonReadingScrapers(InetAddress source, InetSocketAddress server, int connections, long intervalMillis) {
        super("non-reading-scrapers", source, server, RECEIVE_BUFFER);
        this.connections = connections;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    @Override
    void connectMore(long now) {
        while (connections().size() < connections && running()) {
            connect();
        }
    }

    @Override
    void serve(Connection connection, long now) throws IOException {
        if (now < connection.nextNanos) {
            return;
        }
        int requests = intervalNanos == 0 ? PIPELINED_PER_ROUND : 1;
        for (int i = 0; i < requests; i++) {
            if (!connection.pending.hasRemaining()) {
                connection.pending = ByteBuffer.wrap(REQUEST);
                connection.requests++;
            }
            connection.bytesSent += connection.channel.write(connection.pending);
            if (connection.pending.hasRemaining()) {
                break; // the server reads no more for now
            }
        }
        connection.nextNanos = now + intervalNanos;
    }

    @Override
    public String summary() {
        return "GETs of " + MetricsEndpoint.PATH + (intervalNanos == 0 ? " back to back" : " every "
                + TimeUnit.NANOSECONDS.toMillis(intervalNanos) + " ms") + ", never read: " + super.summary();
    }
}
