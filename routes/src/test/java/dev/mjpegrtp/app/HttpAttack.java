package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.hostile.BoundedAttack;

/**
 * Connections to an HTTP server from one address of the attacker's (127.0.0.x), written and read without ever
 * blocking the attacker, each doing what the subclass says every {@value #ROUND_MILLIS} ms until the server closes
 * it. Records when each connection opened and when the server closed it.
 */
abstract class HttpAttack extends BoundedAttack {

    static final long ROUND_MILLIS = 20;
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    /** One connection of the attacker's. */
    static final class Connection {
        final SocketChannel channel;
        final long openedNanos = System.nanoTime();
        volatile long closedNanos;
        long bytesSent;
        long bytesRead;
        long requests;
        long nextNanos;
        /** What is left to send of the last request. */
        ByteBuffer pending = ByteBuffer.allocate(0);
        /** A request was sent and no byte of its answer read yet. */
        boolean awaitingAnswer;

        private Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** How long it was open: until the server closed it, or until now. */
        long lifetimeMillis() {
            long end = closedNanos != 0 ? closedNanos : System.nanoTime();
            return TimeUnit.NANOSECONDS.toMillis(end - openedNanos);
        }
    }

    final InetAddress source;
    final InetSocketAddress server;
    private final int receiveBufferSize;
    private final List<Connection> open = new ArrayList<>();
    private final List<Connection> all = new ArrayList<>();
    private int connectFailures;
    final ByteBuffer discard = ByteBuffer.allocate(64 * 1024);

    /** @param receiveBufferSize SO_RCVBUF set before connecting; 0 for the system's default */
    HttpAttack(String name, InetAddress source, InetSocketAddress server, int receiveBufferSize) {
        super(name);
        this.source = source;
        this.server = server;
        this.receiveBufferSize = receiveBufferSize;
    }

    /** Opens connections when the attack wants more: called every round. */
    abstract void connectMore(long now);

    /** What the attacker does with an open connection this round; throws when the server closed it. */
    abstract void serve(Connection connection, long now) throws IOException;

    @Override
    protected final void attack() {
        while (running()) {
            long now = System.nanoTime();
            connectMore(now);
            for (Connection connection : List.copyOf(open)) {
                try {
                    serve(connection, now);
                } catch (IOException closed) {
                    close(connection);
                }
            }
            pause(ROUND_MILLIS);
        }
    }

    /** Opens one more connection; false when the server did not accept it. */
    final boolean connect() {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            if (receiveBufferSize > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
            }
            channel.bind(new InetSocketAddress(source, 0));
            channel.socket().connect(server, CONNECT_TIMEOUT_MILLIS);
            channel.configureBlocking(false);
            Connection connection = new Connection(channel);
            synchronized (this) {
                open.add(connection);
                all.add(connection);
            }
            return true;
        } catch (IOException e) {
            synchronized (this) {
                connectFailures++;
            }
            if (channel != null) {
                closeQuietly(channel);
            }
            return false;
        }
    }

    /** Reads what the server sent; throws when it closed the connection. */
    final void readAll(Connection connection) throws IOException {
        int read;
        do {
            discard.clear();
            read = connection.channel.read(discard);
            connection.bytesRead += Math.max(read, 0);
        } while (read > 0);
        if (read < 0) {
            throw new IOException("closed by the server");
        }
    }

    private synchronized void close(Connection connection) {
        connection.closedNanos = System.nanoTime();
        open.remove(connection);
        closeQuietly(connection.channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // an attacker's socket: nothing to do about a failure to close it
        }
    }

    @Override
    protected synchronized void release() {
        for (Connection connection : List.copyOf(open)) {
            open.remove(connection);
            closeQuietly(connection.channel);
        }
    }

    /** Connections open now. */
    synchronized int openConnections() {
        return open.size();
    }

    /** Every connection opened so far, open or closed. */
    synchronized List<Connection> connections() {
        return List.copyOf(all);
    }

    @Override
    public synchronized String summary() {
        long closed = all.stream().filter(c -> c.closedNanos != 0).count();
        return all.size() + " connections from " + source.getHostAddress() + " (" + closed + " closed by the server, "
                + connectFailures + " not accepted), " + all.stream().mapToLong(c -> c.requests).sum() + " requests, "
                + all.stream().mapToLong(c -> c.bytesSent).sum() / 1024 + " KiB sent, "
                + all.stream().mapToLong(c -> c.bytesRead).sum() / 1024 + " KiB read";
    }
}
