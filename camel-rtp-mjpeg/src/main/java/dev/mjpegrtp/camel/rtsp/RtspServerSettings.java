package dev.mjpegrtp.camel.rtsp;

/**
 * What every path of every RTSP server of a component shares beyond the {@link dev.mjpegrtp.camel.server.ServerLimits}
 * of all servers: component options.
 *
 * @param sessionTimeoutMillis        a session with no request and no RTCP for this long is ended; a connection
 *                                    holding a session with no message for this long is closed
 * @param requestTimeoutMillis        a request must arrive whole within this long of its first byte
 * @param maxRequestsPerSecond        requests one connection may make per second
 * @param maxSessionsPerAddress       sessions one server holds at once for one client address, over all its paths
 * @param setupTimeoutMillis          a session that has not been played this long after its SETUP is ended
 * @param authenticationTimeoutMillis when a path of the server is protected, a connection that has not been granted
 *                                    a path within this long is closed
 */
record RtspServerSettings(long sessionTimeoutMillis, long requestTimeoutMillis, int maxRequestsPerSecond,
                          int maxSessionsPerAddress, long setupTimeoutMillis, long authenticationTimeoutMillis) {

    /** The longest request line, including the URL. */
    static final int MAX_INITIAL_LINE_LENGTH = 4096;
    /** All header lines of one request together. */
    static final int MAX_HEADER_SIZE = 8192;
    /** A request body: GET_PARAMETER names a few parameters at most. */
    static final int MAX_CONTENT_LENGTH = 4096;
    /** An interleaved frame a client sends: RTCP, whose compound packets are a few hundred bytes. */
    static final int MAX_INTERLEAVED_LENGTH = 4096;

    RtspServerSettings {
        if (sessionTimeoutMillis < 1000 || requestTimeoutMillis < 1 || maxRequestsPerSecond < 1
                || maxSessionsPerAddress < 1 || setupTimeoutMillis < 1 || authenticationTimeoutMillis < 1) {
            throw new IllegalArgumentException("sessionTimeout must be at least 1 s; requestTimeout, "
                    + "maxRequestsPerSecond, maxSessionsPerAddress, setupTimeout and authenticationTimeout must be "
                    + "positive");
        }
    }

    /** The timeout the Session header announces, in whole seconds (RFC 2326 §12.37). */
    long sessionTimeoutSeconds() {
        return sessionTimeoutMillis / 1000;
    }
}
