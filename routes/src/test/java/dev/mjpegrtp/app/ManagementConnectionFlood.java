package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Connections to the management server that send nothing, as many at once as the attacker is given, each one the
 * server closes opened again within a second, up to ten times as many in all. Records the most that stayed open at
 * once for a second or more (the ones the server held rather than refused).
 */
final class ManagementConnectionFlood extends HttpAttack {

    private static final long HELD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int connections;
    private int opened;
    private long nextConnectNanos;
    private volatile int peakHeld;

    ManagementConnectionFlood(InetAddress source, InetSocketAddress server, int connections) {
        super("management-connection-flood", source, server, 0);
        this.connections = connections;
    }

    @Override
    void connectMore(long now) {
        if (now >= nextConnectNanos) {
            for (int i = openConnections(); i < connections && opened < 10 * connections && running(); i++) {
                connect();
                opened++;
            }
            nextConnectNanos = now + RECONNECT_INTERVAL_NANOS;
        }
        int held = (int) connections().stream()
                .filter(c -> c.closedNanos == 0 && now - c.openedNanos >= HELD_NANOS).count();
        peakHeld = Math.max(peakHeld, held);
    }

    @Override
    void serve(Connection connection, long now) throws IOException {
        readAll(connection);
    }

    /** The most connections the server held open at once for a second or more. */
    int peakHeld() {
        return peakHeld;
    }

    @Override
    public String summary() {
        return "a flood of " + connections + " idle connections at once, at most " + peakHeld + " held: "
                + super.summary();
    }
}
