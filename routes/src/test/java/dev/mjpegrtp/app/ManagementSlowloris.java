package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Connections that each begin a GET of the metrics and then send one byte of a header a second, never ending the
 * request: a server that waits for whole requests without a deadline keeps them for ever.
 */
final class ManagementSlowloris extends HttpAttack {

    private static final long BYTE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int connections;

    ManagementSlowloris(InetAddress source, InetSocketAddress server, int connections) {
        super("management-slowloris", source, server, 0);
        this.connections = connections;
    }

    @Override
    void connectMore(long now) {
        while (connections().size() < connections && running()) {
            connect();
        }
    }

    @Override
    void serve(Connection connection, long now) throws IOException {
        readAll(connection);
        if (now >= connection.nextNanos) {
            String bytes = connection.bytesSent == 0 ? "GET " + MetricsEndpoint.PATH + " HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    : "a";
            connection.bytesSent += connection.channel.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.US_ASCII)));
            connection.nextNanos = now + BYTE_INTERVAL_NANOS;
        }
    }

    @Override
    public String summary() {
        return "slowloris, a header byte a second: " + super.summary();
    }
}
