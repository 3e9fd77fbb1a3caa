package dev.mjpegrtp.camel.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Digest (RFC 7616) with MD5, the one algorithm RTSP clients (FFmpeg, GStreamer, VLC, NVRs) implement.
 *
 * <p>A nonce is the time it was issued and an HMAC, under a key of this authenticator, of that time and of the
 * connection it was issued on: it cannot be forged, is worth nothing on any other connection (so headers captured on
 * one connection cannot be replayed on another, from another address or the same one), and expires after
 * {@link #NONCE_LIFETIME_MILLIS}. A right answer to an expired nonce, or to another connection's, gets a new challenge
 * with {@code stale=true}, on which clients retry at once.
 *
 * <p>The challenge offers {@code qop="auth"}. With qop, the client counts its requests on a nonce in {@code nc}; the
 * highest count seen is kept per nonce, and an answer whose count is not above it (a replay on the same connection)
 * gets a new challenge. The counts live in a map of at most {@link #MAX_TRACKED_NONCES} nonces: when it is full the
 * oldest is forgotten, and every nonce issued before it then counts as stale, so that forgetting never lets a replay
 * through. Only right answers add to the map, so only a client with the password can fill it. A response without qop
 * (RFC 2069's form, which GStreamer and many cameras send) carries no count and is accepted for the nonce's lifetime on
 * its connection only: refusing it would lock those clients out.
 */
final class DigestAuthenticator implements ViewerAuthenticator {

    /**
     * How long a nonce stays valid. A nonce only works on its own connection, so the lifetime bounds replay there
     * alone; long enough that a viewer's keep-alives do not need a new challenge every minute.
     */
    static final long NONCE_LIFETIME_MILLIS = 5 * 60_000;
    /** Nonces whose highest {@code nc} is remembered: about 150 bytes each (nonce text, count, map entry). */
    static final int MAX_TRACKED_NONCES = 4096;
    private static final String SCHEME = "Digest ";
    private static final int ISSUED_BYTES = Long.BYTES;
    private static final int MAC_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    private static final Pattern NONCE_COUNT = Pattern.compile("[0-9a-fA-F]{1,8}");

    private final String username;
    private final String ha1;
    private final long lifetimeMillis;
    private final LongSupplier clockMillis;
    private final SecretKeySpec nonceKey;
    /** Nonces answered with qop, eldest first use first. */
    private final LinkedHashMap<String, NonceUse> nonceUses = new LinkedHashMap<>();
    /** Nonces issued up to this time whose counts may have been forgotten. */
    private long forgottenUpToMillis = Long.MIN_VALUE;

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
    public AuthMethod method() {
        return AuthMethod.DIGEST;
    }

    @Override
    public Verdict check(String connection, String method, String uri, String authorization) {
        if (authorization == null) {
            return new Verdict(challenge(connection, false), false);
        }
        Map<String, String> params = authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? AuthParams.parse(authorization.substring(SCHEME.length())) : null;
        if (params == null || !answers(method, uri, params)) {
            return new Verdict(challenge(connection, false), true);
        }
        String nonce = params.get("nonce");
        long issued = issuedAt(nonce, connection);
        long now = clockMillis.getAsLong();
        boolean fresh = issued >= 0 && now - issued <= lifetimeMillis
                && (params.get("qop") == null || counted(nonce, issued, Long.parseLong(params.get("nc"), 16), now));
        return fresh ? Verdict.GRANTED : new Verdict(challenge(connection, true), false);
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
        } else if (qop.equals("auth") && params.get("nc") != null && NONCE_COUNT.matcher(params.get("nc")).matches()
                && params.get("cnonce") != null) {
            expected = md5Hex(ha1 + ":" + nonce + ":" + params.get("nc") + ":" + params.get("cnonce") + ":auth:" + ha2);
        } else {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** Records {@code nc} as the nonce's highest count; false when it is not above the highest seen (a replay). */
    private synchronized boolean counted(String nonce, long issued, long nc, long now) {
        Iterator<NonceUse> eldest = nonceUses.values().iterator();
        while (eldest.hasNext() && now - eldest.next().issuedMillis > lifetimeMillis) {
            eldest.remove(); // expired: its answers are refused by age now, so its counts are needed no more
        }
        NonceUse use = nonceUses.get(nonce);
        if (use == null) {
            if (issued <= forgottenUpToMillis) {
                return false;
            }
            if (nonceUses.size() >= MAX_TRACKED_NONCES) {
                Iterator<NonceUse> oldest = nonceUses.values().iterator();
                forgottenUpToMillis = Math.max(forgottenUpToMillis, oldest.next().issuedMillis);
                oldest.remove();
            }
            nonceUses.put(nonce, new NonceUse(issued, nc));
            return true;
        }
        if (nc <= use.highestCount) {
            return false;
        }
        use.highestCount = nc;
        return true;
    }

    String challenge(String connection, boolean stale) {
        return "Digest realm=\"" + REALM + "\", nonce=\"" + newNonce(connection) + "\", algorithm=MD5, qop=\"auth\""
                + (stale ? ", stale=true" : "");
    }

    private String newNonce(String connection) {
        ByteBuffer nonce = ByteBuffer.allocate(ISSUED_BYTES + MAC_BYTES);
        long now = clockMillis.getAsLong();
        nonce.putLong(now).put(mac(now, connection));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
    }

    /** When a nonce of ours was issued on this connection; -1 for anything else. */
    private long issuedAt(String nonce, String connection) {
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
        return MessageDigest.isEqual(mac, mac(issued, connection)) ? issued : -1;
    }

    private byte[] mac(long issued, String connection) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(nonceKey);
            mac.update(ByteBuffer.allocate(ISSUED_BYTES).putLong(issued).array());
            byte[] full = mac.doFinal(connection.getBytes(StandardCharsets.UTF_8));
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

    /** A nonce answered with qop: when it was issued and the highest nc its answers carried. */
    private static final class NonceUse {
        private final long issuedMillis;
        private long highestCount;

        private NonceUse(long issuedMillis, long highestCount) {
            this.issuedMillis = issuedMillis;
            this.highestCount = highestCount;
        }
    }
}
