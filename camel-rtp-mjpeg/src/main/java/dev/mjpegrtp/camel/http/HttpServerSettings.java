package dev.mjpegrtp.camel.http;

/**
 * What every path of every HTTP server of a component shares: component options.
 *
 * @param maxConnections              connections one server holds open at once
 * @param maxConnectionsPerAddress    connections one server holds open at once from one client address
 * @param connectionIdleTimeoutMillis a connection that serves no stream and completes no request for this long is
 *                                    closed: idle keep-alive and requests that trickle in (slow loris) alike
 * @param maxRequestsPerConnection    requests one keep-alive connection may make; the last is answered with
 *                                    {@code Connection: close}
 * @param maxAuthenticationFailures   failed authentications per client address per minute before it is throttled
 */
record HttpServerSettings(int maxConnections, int maxConnectionsPerAddress, long connectionIdleTimeoutMillis,
                          int maxRequestsPerConnection, int maxAuthenticationFailures) {

    /** The longest request line, including the URL. */
    static final int MAX_INITIAL_LINE_LENGTH = 4096;
    /** All header lines of one request together. */
    static final int MAX_HEADER_SIZE = 8192;
    /** A GET or HEAD has no body; a request with one larger than this is refused. */
    static final int MAX_CONTENT_LENGTH = 1024;

    HttpServerSettings {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || connectionIdleTimeoutMillis < 1
                || maxRequestsPerConnection < 1 || maxAuthenticationFailures < 1) {
            throw new IllegalArgumentException("maxConnections, maxConnectionsPerAddress, connectionIdleTimeout, "
                    + "maxRequestsPerConnection and maxAuthenticationFailures must be positive");
        }
    }
}
