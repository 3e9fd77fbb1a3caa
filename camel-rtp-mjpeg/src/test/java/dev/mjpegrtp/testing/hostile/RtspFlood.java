package dev.mjpegrtp.testing.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many RTSP connections from one address of the attacker's, each sending a request every so often, written without
 * ever blocking the attacker: a server that stops reading only makes the requests wait. A connection the server
 * closes (or refuses) is opened again a second later, up to ten times as many connections in all as at once.
 * Whether responses are read is the caller's choice: a client that never reads them, or one that reads and
 * discards them to look alive.
 */
abstract class RtspFlood extends BoundedAttack {

    private static final long ROUND_MILLIS = 20;
    private static final long RECONNECT_INTERVAL_NANOS = 1_000_000_000L;
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final InetAddress source;
    private final InetSocketAddress server;
    private final int connections;
    private final long requestIntervalNanos;
    private final int receiveBufferSize;
    private final boolean readResponses;
    private final List<Connection> open = new ArrayList<>();
    private final ByteBuffer discard = ByteBuffer.allocate(64 * 1024);

    private long nextConnectNanos;
    private int opened;
    private int closedByServer;
    private int refused;
    private long requests;
    private long bytesSent;
    private long bytesRead;

    /**
     * @param receiveBufferSize SO_RCVBUF set before connecting; 0 for the system's default
     */
    RtspFlood(String name, InetAddress source, InetSocketAddress server, int connections, double requestsPerSecond,
              int receiveBufferSize, boolean readResponses) {
        super(name);
        this.source = source;
        this.server = server;
        this.connections = connections;
        this.requestIntervalNanos = (long) (1e9 / requestsPerSecond);
        this.receiveBufferSize = receiveBufferSize;
        this.readResponses = readResponses;
    }

    /** The request with CSeq {@code cseq}, whole, CRLF CRLF included. */
    abstract String request(long cseq);

    @Override
    protected void attack() {
        while (running()) {
            long now = System.nanoTime();
            if (now >= nextConnectNanos) {
                for (int i = open.size(); i < connections && opened < 10 * connections && running(); i++) {
                    connect(now + (long) (requestIntervalNanos * (double) i / connections)); // staggered
                }
                nextConnectNanos = now + RECONNECT_INTERVAL_NANOS;
            }
            for (Connection connection : List.copyOf(open)) {
                try {
                    serve(connection, now);
                } catch (IOException e) {
                    closedByServer++;
                    close(connection);
                }
            }
            pause(ROUND_MILLIS);
        }
    }

    private void connect(long firstRequestNanos) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            if (receiveBufferSize > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
            }
            channel.bind(new InetSocketAddress(source, 0));
            channel.socket().connect(server, CONNECT_TIMEOUT_MILLIS);
            channel.configureBlocking(false);
            open.add(new Connection(channel, firstRequestNanos));
            opened++;
        } catch (IOException e) {
            refused++;
            opened++;
            if (channel != null) {
                closeQuietly(channel);
            }
        }
    }

    private void serve(Connection connection, long now) throws IOException {
        if (readResponses) {
            discard.clear();
            int read;
            while ((read = connection.channel.read(discard)) > 0) {
                bytesRead += read;
                discard.clear();
            }
            if (read < 0) {
                throw new IOException("closed");
            }
        }
        if (!connection.pending.hasRemaining() && now >= connection.nextRequestNanos) {
            connection.pending = ByteBuffer.wrap(request(++connection.cseq).getBytes(StandardCharsets.US_ASCII));
            connection.nextRequestNanos = now + requestIntervalNanos;
            requests++;
        }
        bytesSent += connection.channel.write(connection.pending);
    }

    private void close(Connection connection) {
        open.remove(connection);
        closeQuietly(connection.channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing an attacker's socket: nothing to do about a failure
        }
    }

    @Override
    protected void release() {
        List.copyOf(open).forEach(this::close);
    }

    @Override
    public String summary() {
        return connections + " connections at once from " + source.getHostAddress() + " (" + opened + " opened, "
                + refused + " refused, " + closedByServer + " closed by the server), " + requests + " requests, "
                + bytesSent / 1024 + " KiB sent, " + bytesRead / 1024 + " KiB read";
    }

    private static final class Connection {
        private final SocketChannel channel;
        private ByteBuffer pending = ByteBuffer.allocate(0);
        private long nextRequestNanos;
        private long cseq;

        private Connection(SocketChannel channel, long firstRequestNanos) {
            this.channel = channel;
            this.nextRequestNanos = firstRequestNanos;
        }
    }
}
