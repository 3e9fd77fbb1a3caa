package dev.mjpegrtp.camel.server;

/** Checks the credentials a request carries in its Authorization header (RTSP and HTTP ask alike). */
public interface ViewerAuthenticator {

    /** The realm every challenge names. */
    String REALM = "mjpeg-rtp";

    /** Lets every request through: the endpoint has no username. */
    ViewerAuthenticator NONE = new ViewerAuthenticator() {
        @Override
        public Verdict check(String connection, String method, String uri, String authorization) {
            return Verdict.GRANTED;
        }

        @Override
        public boolean asksForCredentials() {
            return false;
        }

        @Override
        public AuthMethod method() {
            return null;
        }
    };

    /**
     * What the request's credentials are worth.
     *
     * @param connection    what a Digest nonce is bound to: an identity of the connection the request came on, unique
     *                      for as long as the server runs, so that a nonce seen on one connection is worth nothing on
     *                      any other
     * @param method        the request's method, as the Digest response covers it
     * @param uri           the request URI
     * @param authorization the Authorization header, null when absent
     */
    Verdict check(String connection, String method, String uri, String authorization);

    /** How it asks for credentials; null for {@link #NONE}. */
    AuthMethod method();

    /** Whether a request can be refused for its credentials; false for {@link #NONE}. */
    default boolean asksForCredentials() {
        return true;
    }

    static ViewerAuthenticator of(AuthMethod method, String username, String password) {
        return switch (method) {
            case BASIC -> new BasicAuthenticator(username, password);
            case DIGEST -> new DigestAuthenticator(username, password, DigestAuthenticator.NONCE_LIFETIME_MILLIS,
                    System::currentTimeMillis);
        };
    }

    /**
     * The answer to a request's credentials.
     *
     * @param challenge        null when the request may go on; otherwise the {@code WWW-Authenticate} value to answer
     *                         401 with
     * @param wrongCredentials the request carried credentials that are wrong: a guess, which counts towards the
     *                         client's failed authentications; false for no credentials, and for right ones on a nonce
     *                         that is stale, used up or another connection's (the client retries on the new nonce)
     */
    record Verdict(String challenge, boolean wrongCredentials) {

        static final Verdict GRANTED = new Verdict(null, false);

        public boolean granted() {
            return challenge == null;
        }
    }
}
