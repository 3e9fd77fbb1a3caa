package dev.mjpegrtp.srtp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A pre-shared SRTP master key and master salt for AES_CM_128_HMAC_SHA1_80: the 30 bytes (16 of key, 14 of salt) that
 * RFC 4568's {@code inline:} key parameter carries in base64, 40 characters. Never printed: {@link #toString} names
 * the suite only, and the messages of a refused key say what is wrong with it, not what it is.
 */
public final class SrtpMasterKey {

    /** The suite's name in SDP (RFC 4568 §6.2.1) and in GStreamer's and FFmpeg's options. */
    public static final String SUITE = "AES_CM_128_HMAC_SHA1_80";
    public static final int KEY_LENGTH = 16;
    public static final int SALT_LENGTH = 14;
    /** Characters of the base64 inline key: 30 bytes. */
    public static final int INLINE_LENGTH = 40;

    private final byte[] key;
    private final byte[] salt;

    private SrtpMasterKey(byte[] keyAndSalt) {
        this.key = Arrays.copyOfRange(keyAndSalt, 0, KEY_LENGTH);
        this.salt = Arrays.copyOfRange(keyAndSalt, KEY_LENGTH, KEY_LENGTH + SALT_LENGTH);
    }

    /**
     * The key of an RFC 4568 inline key parameter. A space stands for a '+', which base64 uses and a URI query
     * (as Camel reads one) decodes to a space.
     *
     * @throws IllegalArgumentException when it is not 40 base64 characters
     */
    public static SrtpMasterKey ofInline(String inline) {
        if (inline == null || inline.length() != INLINE_LENGTH) {
            throw new IllegalArgumentException("an SRTP key is " + INLINE_LENGTH + " base64 characters (16 bytes of "
                    + "master key and 14 of salt), not " + (inline == null ? "none" : inline.length()));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(inline.replace(' ', '+'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an SRTP key is base64 (RFC 4648): it holds another character");
        }
        if (bytes.length != KEY_LENGTH + SALT_LENGTH) {
            throw new IllegalArgumentException("an SRTP key decodes to " + (KEY_LENGTH + SALT_LENGTH)
                    + " bytes, not " + bytes.length);
        }
        return new SrtpMasterKey(bytes);
    }

    /** A fresh random key, e.g. for a user to put in both ends' configuration. */
    public static SrtpMasterKey random(SecureRandom random) {
        byte[] bytes = new byte[KEY_LENGTH + SALT_LENGTH];
        random.nextBytes(bytes);
        return new SrtpMasterKey(bytes);
    }

    /** The key and salt as RFC 4568's inline key parameter: what {@code a=crypto:1 SUITE inline:} carries. */
    public String inline() {
        byte[] bytes = Arrays.copyOf(key, KEY_LENGTH + SALT_LENGTH);
        System.arraycopy(salt, 0, bytes, KEY_LENGTH, SALT_LENGTH);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The SDP attribute that gives a receiver this key (RFC 4568), tag 1. */
    public String sdpCryptoAttribute() {
        return "crypto:1 " + SUITE + " inline:" + inline();
    }

    byte[] key() {
        return key;
    }

    byte[] salt() {
        return salt;
    }

    @Override
    public String toString() {
        return "SrtpMasterKey[" + SUITE + "]";
    }
}
