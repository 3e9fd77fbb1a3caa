package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over the JDK's SHA-1, for SRTP's authentication tags (RFC 3711 §4.2). Not
 * {@code javax.crypto.Mac}: its {@code doFinal} returns a new array each time, and the HMAC provider makes another,
 * while this one writes the digest into the caller's array: no allocation per packet. One thread at a time.
 */
final class HmacSha1 {

    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    /** @param key at most 64 bytes (SRTP's are 20) */
    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("an HMAC key longer than " + BLOCK + " bytes would need hashing first");
        }
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1, which every Java SE has", e);
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        start();
    }

    /** Begins a new message. */
    void start() {
        sha1.reset();
        sha1.update(innerPad);
    }

    /** Adds bytes [offset, offset + length) of {@code data}; its position and limit are as they were afterwards. */
    void update(ByteBuffer data, int offset, int length) {
        int position = data.position();
        int limit = data.limit();
        data.limit(offset + length).position(offset);
        sha1.update(data);
        data.limit(limit).position(position);
    }

    void update(byte[] data, int offset, int length) {
        sha1.update(data, offset, length);
    }

    void update(int value) {
        sha1.update((byte) (value >>> 24));
        sha1.update((byte) (value >>> 16));
        sha1.update((byte) (value >>> 8));
        sha1.update((byte) value);
    }

    /** Writes the message's 20-byte HMAC into {@code out} and begins a new message. */
    void finish(byte[] out) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("20 bytes hold a SHA-1 digest", e);
        }
        start();
    }
}
