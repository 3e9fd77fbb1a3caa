package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Connections that behave as scrapers do, only without pause: each GETs the metrics, reads the answer, and asks again
 * {@value #INTERVAL_MILLIS} ms later, over and over; a connection the server closes is opened again within a second.
 * To a server they are busy clients, whose connections it has no reason to close.
 */
final class BusyScrapers extends HttpAttack {

    static final long INTERVAL_MILLIS = 100;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
    private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final byte[] REQUEST = ("GET " + MetricsEndpoint.PATH + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final int connections;
    private long nextConnectNanos;

    BusyScrapers(InetAddress source, InetSocketAddress server, int connections) {
        super("busy-scrapers", source, server, 0);
        this.connections = connections;
    }

    @Override
    void connectMore(long now) {
        if (now >= nextConnectNanos) {
            for (int i = openConnections(); i < connections && running(); i++) {
                connect();
            }
            nextConnectNanos = now + RECONNECT_INTERVAL_NANOS;
        }
    }

    @Override
    void serve(Connection connection, long now) throws IOException {
        long readBefore = connection.bytesRead;
        readAll(connection);
        if (connection.bytesRead > readBefore) {
            connection.awaitingAnswer = false;
        }
        if (!connection.awaitingAnswer && now >= connection.nextNanos) {
            connection.pending = ByteBuffer.wrap(REQUEST);
            connection.requests++;
            connection.awaitingAnswer = true;
            connection.nextNanos = now + INTERVAL_NANOS;
        }
        connection.bytesSent += connection.channel.write(connection.pending);
    }

    @Override
    public String summary() {
        return "GETs of " + MetricsEndpoint.PATH + " every " + INTERVAL_MILLIS + " ms, answers read: " + super.summary();
    }
}
