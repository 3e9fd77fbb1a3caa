package dev.mjpegrtp.testing.hostile;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Connections that hold the server's connection slots without credentials (issue 17, finding 4): each sends
 * GET_PARAMETER every {@value #REQUEST_INTERVAL_SECONDS} s, as a keep-alive does, and reads the answers. As many
 * connections as the attacker is given; more than the server's connection limit locks every new viewer out of a
 * server that does not limit connections per address.
 */
public final class SlotHolders extends RtspFlood {

    static final int REQUEST_INTERVAL_SECONDS = 5;

    private final String url;

    public SlotHolders(InetAddress source, InetSocketAddress server, String path, int connections) {
        super("slot-holders", source, server, connections, 1.0 / REQUEST_INTERVAL_SECONDS, 0, true);
        this.url = "rtsp://" + server.getAddress().getHostAddress() + ":" + server.getPort() + "/" + path;
    }

    @Override
    String request(long cseq) {
        return "GET_PARAMETER " + url + " RTSP/1.0\r\nCSeq: " + cseq + "\r\n\r\n";
    }

    @Override
    public String summary() {
        return "GET_PARAMETER every " + REQUEST_INTERVAL_SECONDS + " s: " + super.summary();
    }
}
