package dev.mjpegrtp.testing.hostile;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Clients that send requests and never read the responses (issue 17, finding 3): connections with a 4 KiB receive
 * buffer, each sending OPTIONS with a CSeq of {@value #CSEQ_DIGITS} digits, which a server echoes, at
 * {@value #REQUESTS_PER_SECOND} requests a second (under the server's per-connection rate limit). A server that
 * queues responses without regard to whether they are read keeps about 7.6 KB per request. No credentials needed.
 */
public final class NonReadingRequesters extends RtspFlood {

    static final int CSEQ_DIGITS = 7600;
    static final int REQUESTS_PER_SECOND = 15;
    private static final int RECEIVE_BUFFER = 4096;

    private final String url;
    private final String cseqPadding = "9".repeat(CSEQ_DIGITS - 10);

    public NonReadingRequesters(InetAddress source, InetSocketAddress server, String path, int connections) {
        super("non-reading-requesters", source, server, connections, REQUESTS_PER_SECOND, RECEIVE_BUFFER, false);
        this.url = "rtsp://" + server.getAddress().getHostAddress() + ":" + server.getPort() + "/" + path;
    }

    @Override
    String request(long cseq) {
        return "OPTIONS " + url + " RTSP/1.0\r\nCSeq: " + cseqPadding + String.format("%010d", cseq) + "\r\n\r\n";
    }

    @Override
    public String summary() {
        return "OPTIONS with a " + CSEQ_DIGITS + "-digit CSeq, never reading: " + super.summary();
    }
}
