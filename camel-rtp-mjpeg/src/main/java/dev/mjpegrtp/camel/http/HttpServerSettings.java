package dev.mjpegrtp.camel.http;

/**
 * What every path of every HTTP server of a component shares beyond the {@link dev.mjpegrtp.camel.server.ServerLimits}
 * of all servers: component options.
 *
 * @param maxRequestsPerConnection requests one keep-alive connection may make; the last is answered with
 *                                 {@code Connection: close}
 */
record HttpServerSettings(int maxRequestsPerConnection) {

    /** The longest request line, including the URL. */
    static final int MAX_INITIAL_LINE_LENGTH = 4096;
    /** All header lines of one request together. */
    static final int MAX_HEADER_SIZE = 8192;
    /** A GET or HEAD has no body; a request with one larger than this is refused. */
    static final int MAX_CONTENT_LENGTH = 1024;

    HttpServerSettings {
        if (maxRequestsPerConnection < 1) {
            throw new IllegalArgumentException("maxRequestsPerConnection must be positive");
        }
    }
}
