package dev.mjpegrtp.camel.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** HTTP Basic (RFC 7617): {@code Authorization: Basic base64(username:password)}. */
final class BasicAuthenticator implements ViewerAuthenticator {

    private static final String SCHEME = "Basic ";
    private static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

    private final byte[] expected;

    BasicAuthenticator(String username, String password) {
        this.expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String challengeFor(String method, String uri, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return CHALLENGE;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
        } catch (IllegalArgumentException e) {
            return CHALLENGE;
        }
        // Constant time, so that the time to answer tells nothing about how much of the secret matched.
        return MessageDigest.isEqual(given, expected) ? null : CHALLENGE;
    }
}
