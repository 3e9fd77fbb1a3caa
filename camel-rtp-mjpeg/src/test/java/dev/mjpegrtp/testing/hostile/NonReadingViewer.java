package dev.mjpegrtp.testing.hostile;

import java.io.IOException;
import java.net.InetAddress;

import dev.mjpegrtp.testing.RtspTestClient;

/**
 * A viewer that PLAYs a path over TCP (interleaved) with a 4 KiB receive buffer and then never reads: every frame
 * the server does not drop for it waits in the server's memory. Joins a bomb, as in issue 17's finding 1.
 */
public final class NonReadingViewer extends BoundedAttack {

    private static final int RECEIVE_BUFFER = 4096;

    private final InetAddress source;
    private final String host;
    private final int port;
    private final String path;
    private RtspTestClient client;
    private volatile String outcome = "not connected";

    public NonReadingViewer(InetAddress source, String host, int port, String path) {
        super("non-reading-viewer");
        this.source = source;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    @Override
    protected void attack() {
        try {
            client = new RtspTestClient(source, host, port, path, RECEIVE_BUFFER);
            client.socket().setSoTimeout(2000);
            outcome = "PLAY answered " + client.playInterleaved().status();
        } catch (IOException | AssertionError e) {
            outcome = "refused: " + e.getMessage(); // the server kept this attacker out: nothing more to do
            return;
        }
        while (running()) {
            pause(100);
        }
    }

    @Override
    protected void release() {
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException ignored) {
            // the attacker's socket: nothing to do about a failure to close it
        }
    }

    @Override
    public String summary() {
        return "a TCP viewer of /" + path + " from " + source.getHostAddress() + " that never reads (" + outcome + ")";
    }
}
