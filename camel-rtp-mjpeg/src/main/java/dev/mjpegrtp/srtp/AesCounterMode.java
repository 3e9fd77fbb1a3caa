package dev.mjpegrtp.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream of a packet is AES of the counter blocks
 * IV, IV+1, … where IV = (session salt · 2^16) XOR (SSRC · 2^64) XOR (packet index · 2^16), XORed over the bytes to
 * encrypt or decrypt (the same operation). The counter blocks are encrypted in one call of an ECB cipher kept for the
 * session (which the JDK runs on the CPU's AES instructions), into scratch arrays kept as well, grown once to the
 * largest packet: nothing is allocated per packet. One thread at a time.
 */
final class AesCounterMode {

    private static final int BLOCK = 16;
    /** The most bytes one packet can hold: a UDP datagram. */
    private static final int MAX_LENGTH = 65536;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final Cipher aes;
    private final byte[] salt;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    /**
     * @param sessionKey  the 16-byte session encryption key
     * @param sessionSalt the 14-byte session salt
     */
    AesCounterMode(byte[] sessionKey, byte[] sessionSalt) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/ECB/NoPadding, which every Java SE has", e);
        }
        this.salt = sessionSalt.clone();
    }

    /**
     * Encrypts or decrypts bytes [offset, offset + length) of {@code data} in place (absolute positions: neither its
     * position nor its limit changes).
     *
     * @param index the 48-bit packet index (SRTP: ROC · 2^16 + SEQ; SRTCP: the 31-bit SRTCP index)
     */
    void apply(ByteBuffer data, int offset, int length, int ssrc, long index) {
        int rounded = (length + BLOCK - 1) / BLOCK * BLOCK;
        keystream(ssrc, index, rounded);
        VarHandle stream = data.order() == ByteOrder.BIG_ENDIAN ? BIG_ENDIAN_LONG : LITTLE_ENDIAN_LONG;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            data.putLong(offset + i, data.getLong(offset + i) ^ (long) stream.get(keystream, i));
        }
        for (; i < length; i++) {
            data.put(offset + i, (byte) (data.get(offset + i) ^ keystream[i]));
        }
    }

    /** The first {@code length} (a multiple of 16) bytes of a packet's keystream, into {@link #keystream}. */
    void keystream(int ssrc, long index, int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException(length + " bytes to encrypt, more than a datagram holds");
        }
        if (counters.length < length) {
            counters = new byte[Math.min(MAX_LENGTH, Integer.highestOneBit(length - 1) << 1)];
            keystream = new byte[counters.length];
        }
        byte[] iv = counters;
        System.arraycopy(salt, 0, iv, 0, SrtpMasterKey.SALT_LENGTH);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int b = 0; b < 6; b++) {
            iv[8 + b] ^= (byte) (index >>> (40 - 8 * b));
        }
        iv[14] = 0;
        iv[15] = 0;
        for (int block = 1, at = BLOCK; at < length; block++, at += BLOCK) {
            System.arraycopy(iv, 0, counters, at, 14);
            counters[at + 14] = (byte) (block >>> 8);
            counters[at + 15] = (byte) block;
        }
        try {
            aes.update(counters, 0, length, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("the keystream array is as long as the counters", e);
        }
    }

    /** The keystream {@link #keystream(int, long, int)} wrote last. */
    byte[] lastKeystream() {
        return keystream;
    }
}
