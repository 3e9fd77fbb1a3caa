package dev.mjpegrtp.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 3711 §4.3 key derivation with a key derivation rate of 0 (each session key derived once, at the start), which
 * is what SDES (RFC 4568) implies when no KDR is given: the AES-CM PRF keyed by the master key, run from
 * (master salt XOR label at byte 7) · 2^16.
 */
final class SrtpKeyDerivation {

    static final int RTP_ENCRYPTION = 0x00;
    static final int RTP_AUTHENTICATION = 0x01;
    static final int RTP_SALT = 0x02;
    static final int RTCP_ENCRYPTION = 0x03;
    static final int RTCP_AUTHENTICATION = 0x04;
    static final int RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    /** {@code length} bytes of the session key with {@code label}. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] counter = new byte[16];
        System.arraycopy(masterSalt, 0, counter, 0, SrtpMasterKey.SALT_LENGTH);
        // key_id = label || index DIV kdr (48 bits, 0 here), right-aligned under the 112-bit salt: the label is byte 7.
        counter[7] ^= (byte) label;
        int blocks = (length + 15) / 16;
        byte[] counters = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++) {
            System.arraycopy(counter, 0, counters, i * 16, 14);
            counters[i * 16 + 14] = (byte) (i >>> 8);
            counters[i * 16 + 15] = (byte) i;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] stream = aes.doFinal(counters);
            byte[] derived = new byte[length];
            System.arraycopy(stream, 0, derived, 0, length);
            return derived;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/ECB/NoPadding, which every Java SE has", e);
        }
    }
}
