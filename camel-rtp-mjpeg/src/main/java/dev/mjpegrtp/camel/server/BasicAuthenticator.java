package dev.mjpegrtp.camel.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** HTTP Basic (RFC 7617): {@code Authorization: Basic base64(username:password)}. */
final class BasicAuthenticator implements ViewerAuthenticator {

    private static final String SCHEME = "Basic ";
    private static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
    private static final Verdict ASK = new Verdict(CHALLENGE, false);
    private static final Verdict WRONG = new Verdict(CHALLENGE, true);

    private final byte[] expected;

    BasicAuthenticator(String username, String password) {
        this.expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public AuthMethod method() {
        return AuthMethod.BASIC;
    }

    @Override
    public Verdict check(String connection, String method, String uri, String authorization) {
        if (authorization == null) {
            return ASK;
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return WRONG;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
        } catch (IllegalArgumentException e) {
            return WRONG;
        }
        // Constant time, so that the time to answer tells nothing about how much of the secret matched.
        return MessageDigest.isEqual(given, expected) ? Verdict.GRANTED : WRONG;
    }
}
