package dev.mjpegrtp.camel.rtsp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Digest (RFC 7616) with MD5, the one algorithm RTSP clients (FFmpeg, GStreamer, VLC, NVRs) implement.
 *
 * <p>Nonces are stateless: the time they were issued and an HMAC of it under a key of this authenticator, so the
 * server keeps nothing per client and a nonce cannot be forged or kept alive past {@link #NONCE_LIFETIME_MILLIS}. A
 * right answer to an expired nonce gets a new challenge with {@code stale=true}, on which clients retry at once.
 *
 * <p>The challenge offers {@code qop="auth"}; a response without qop (RFC 2069's form, which GStreamer and many
 * cameras send) is accepted as well, since refusing it would lock those clients out.
 */
final class DigestAuthenticator implements ViewerAuthenticator {

    /** How long a nonce stays valid: long enough for a client's setup, short enough to limit replays. */
    static final long NONCE_LIFETIME_MILLIS = 5 * 60_000;
    private static final String SCHEME = "Digest ";
    private static final int ISSUED_BYTES = Long.BYTES;
    private static final int MAC_BYTES = 16;
    private static final String HMAC = "HmacSHA256";

    private final String username;
    private final String ha1;
    private final long lifetimeMillis;
    private final LongSupplier clockMillis;
    private final SecretKeySpec nonceKey;

    DigestAuthenticator(String username, String password, long lifetimeMillis, LongSupplier clockMillis) {
        this.username = username;
        this.ha1 = md5Hex(username + ":" + REALM + ":" + password);
        this.lifetimeMillis = lifetimeMillis;
        this.clockMillis = clockMillis;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.nonceKey = new SecretKeySpec(key, HMAC);
    }

    @Override
    public String challengeFor(String method, String uri, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return challenge(false);
        }
        Map<String, String> params = AuthParams.parse(authorization.substring(SCHEME.length()));
        if (params == null || !answers(method, uri, params)) {
            return challenge(false);
        }
        long issued = issuedAt(params.get("nonce"));
        if (issued < 0) {
            return challenge(false);
        }
        long age = clockMillis.getAsLong() - issued;
        return age <= lifetimeMillis ? null : challenge(true);
    }

    /** Whether the parameters are a correct Digest response for this request and these credentials. */
    private boolean answers(String method, String uri, Map<String, String> params) {
        String nonce = params.get("nonce");
        String response = params.get("response");
        String qop = params.get("qop");
        String algorithm = params.get("algorithm");
        if (nonce == null || response == null || !username.equals(params.get("username"))
                || !REALM.equals(params.get("realm")) || !samePath(uri, params.get("uri"))
                || algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            return false;
        }
        String ha2 = md5Hex(method + ":" + params.get("uri"));
        String expected;
        if (qop == null) {
            expected = md5Hex(ha1 + ":" + nonce + ":" + ha2);
        } else if (qop.equals("auth") && params.get("nc") != null && params.get("cnonce") != null) {
            expected = md5Hex(ha1 + ":" + nonce + ":" + params.get("nc") + ":" + params.get("cnonce") + ":auth:" + ha2);
        } else {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    String challenge(boolean stale) {
        return "Digest realm=\"" + REALM + "\", nonce=\"" + newNonce() + "\", algorithm=MD5, qop=\"auth\""
                + (stale ? ", stale=true" : "");
    }

    private String newNonce() {
        ByteBuffer nonce = ByteBuffer.allocate(ISSUED_BYTES + MAC_BYTES);
        long now = clockMillis.getAsLong();
        nonce.putLong(now).put(mac(now));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
    }

    /** When a nonce of ours was issued; -1 for anything we did not issue. */
    private long issuedAt(String nonce) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (bytes.length != ISSUED_BYTES + MAC_BYTES) {
            return -1;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long issued = buffer.getLong();
        byte[] mac = new byte[MAC_BYTES];
        buffer.get(mac);
        return MessageDigest.isEqual(mac, mac(issued)) ? issued : -1;
    }

    private byte[] mac(long issued) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(nonceKey);
            byte[] full = mac.doFinal(ByteBuffer.allocate(ISSUED_BYTES).putLong(issued).array());
            byte[] truncated = new byte[MAC_BYTES];
            System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
            return truncated;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The digest's uri must name what the request names, or a response could be replayed on another stream. */
    private static boolean samePath(String requestUri, String digestUri) {
        if (digestUri == null) {
            return false;
        }
        try {
            String requested = new URI(requestUri).getRawPath();
            return requested != null && requested.equals(new URI(digestUri).getRawPath());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
