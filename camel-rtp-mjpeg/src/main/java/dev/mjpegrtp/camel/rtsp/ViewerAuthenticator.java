package dev.mjpegrtp.camel.rtsp;

/** Checks the credentials a request carries in its Authorization header. */
interface ViewerAuthenticator {

    /** The realm every challenge names. */
    String REALM = "mjpeg-rtp";

    /** Lets every request through: the endpoint has no username. */
    ViewerAuthenticator NONE = (method, uri, authorization) -> null;

    /**
     * Null when the request may go on; otherwise the {@code WWW-Authenticate} value to answer 401 with.
     *
     * @param method        the request's method, as the Digest response covers it
     * @param uri           the request URI
     * @param authorization the Authorization header, null when absent
     */
    String challengeFor(String method, String uri, String authorization);

    static ViewerAuthenticator of(RtspMjpegConfiguration configuration) {
        if (configuration.getUsername() == null) {
            return NONE;
        }
        return switch (configuration.getAuthMethod()) {
            case BASIC -> new BasicAuthenticator(configuration.getUsername(), configuration.getPassword());
            case DIGEST -> new DigestAuthenticator(configuration.getUsername(), configuration.getPassword(),
                    DigestAuthenticator.NONCE_LIFETIME_MILLIS, System::currentTimeMillis);
        };
    }
}
