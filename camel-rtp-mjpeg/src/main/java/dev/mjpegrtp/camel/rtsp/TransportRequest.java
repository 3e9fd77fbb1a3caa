package dev.mjpegrtp.camel.rtsp;

import java.util.Locale;

/**
 * The transport a client asks for in SETUP (RFC 2326 §12.39): the first of its comma-separated choices that this
 * server can serve, which is unicast RTP/AVP over UDP to {@code client_port}, or RTP/AVP/TCP interleaved on the RTSP
 * connection. Multicast and RECORD are not served. A {@code destination} parameter is ignored on purpose: packets go
 * only to the address the request came from, so that nobody can point a stream at a third party.
 *
 * @param interleaved  TCP interleaved rather than UDP
 * @param rtpPort      UDP: the client's RTP port
 * @param rtcpPort     UDP: the client's RTCP port (RTP port + 1 unless it named another)
 * @param rtpChannel   TCP: the interleaved channel for RTP, -1 when the client left the choice to the server
 * @param rtcpChannel  TCP: the interleaved channel for RTCP, -1 when the client left the choice to the server
 */
record TransportRequest(boolean interleaved, int rtpPort, int rtcpPort, int rtpChannel, int rtcpChannel) {

    /**
     * The first servable choice in the header's value; null when there is none.
     *
     * @param interleavedOnly serve RTP/AVP/TCP choices only: over TLS, UDP would carry the stream unencrypted
     */
    static TransportRequest choose(String header, boolean interleavedOnly) {
        if (header == null) {
            return null;
        }
        for (String choice : header.split(",")) {
            TransportRequest request = parse(choice.trim());
            if (request != null && (request.interleaved() || !interleavedOnly)) {
                return request;
            }
        }
        return null;
    }

    private static TransportRequest parse(String spec) {
        String[] parts = spec.split(";");
        String protocol = parts[0].trim().toUpperCase(Locale.ROOT);
        boolean tcp;
        if (protocol.equals("RTP/AVP") || protocol.equals("RTP/AVP/UDP")) {
            tcp = false;
        } else if (protocol.equals("RTP/AVP/TCP")) {
            tcp = true;
        } else {
            return null;
        }
        int[] ports = null;
        int[] channels = null;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : parameter.substring(eq + 1).trim();
            switch (name) {
                case "multicast" -> {
                    return null;
                }
                case "mode" -> {
                    if (!value.replace("\"", "").equalsIgnoreCase("play")) {
                        return null;
                    }
                }
                case "client_port" -> {
                    ports = range(value, 1, 65535);
                    if (ports == null) {
                        return null;
                    }
                }
                case "interleaved" -> {
                    channels = range(value, 0, 255);
                    if (channels == null) {
                        return null;
                    }
                }
                default -> {
                    // unicast, ttl, ssrc, destination, append, ...: nothing to do for a unicast sender
                }
            }
        }
        if (tcp) {
            return channels == null ? new TransportRequest(true, 0, 0, -1, -1)
                    : new TransportRequest(true, 0, 0, channels[0], channels[1]);
        }
        return ports == null ? null : new TransportRequest(false, ports[0], ports[1], 0, 0);
    }

    /** {@code a} or {@code a-b} within bounds; a lone number means {@code a-(a+1)}. Null when malformed. */
    private static int[] range(String value, int min, int max) {
        try {
            int dash = value.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? value : value.substring(0, dash).trim());
            int second = dash < 0 ? first + 1 : Integer.parseInt(value.substring(dash + 1).trim());
            if (first < min || first > max || second < min || second > max) {
                return null;
            }
            return new int[] {first, second};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The Transport header of the SETUP response. */
    String reply(int serverRtpPort, int serverRtcpPort, int assignedRtpChannel, int assignedRtcpChannel, int ssrc) {
        String ssrcHex = String.format("%08X", ssrc);
        if (interleaved) {
            return "RTP/AVP/TCP;unicast;interleaved=" + assignedRtpChannel + "-" + assignedRtcpChannel + ";ssrc=" + ssrcHex;
        }
        return "RTP/AVP;unicast;client_port=" + rtpPort + "-" + rtcpPort + ";server_port=" + serverRtpPort + "-"
                + serverRtcpPort + ";ssrc=" + ssrcHex;
    }
}
