package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;

/**
 * The session keys of one kind of packet, RTP or RTCP (RFC 3711 §4.3: each has its own encryption key, salt and
 * authentication key), with the cipher and the HMAC keyed by them, and the digest of the last tag computed.
 */
final class SrtpTransform {

    /** Bytes of the HMAC-SHA1-80 authentication tag. */
    static final int TAG_LENGTH = 10;
    private static final int AUTHENTICATION_KEY_LENGTH = 20;

    private final AesCounterMode cipher;
    private final HmacSha1 mac;
    private final byte[] digest = new byte[HmacSha1.LENGTH];

    private SrtpTransform(SrtpMasterKey master, int encryptionLabel, int authenticationLabel, int saltLabel) {
        cipher = new AesCounterMode(
                SrtpKeyDerivation.derive(master.key(), master.salt(), encryptionLabel, SrtpMasterKey.KEY_LENGTH),
                SrtpKeyDerivation.derive(master.key(), master.salt(), saltLabel, SrtpMasterKey.SALT_LENGTH));
        mac = new HmacSha1(SrtpKeyDerivation.derive(master.key(), master.salt(), authenticationLabel,
                AUTHENTICATION_KEY_LENGTH));
    }

    static SrtpTransform rtp(SrtpMasterKey master) {
        return new SrtpTransform(master, SrtpKeyDerivation.RTP_ENCRYPTION, SrtpKeyDerivation.RTP_AUTHENTICATION,
                SrtpKeyDerivation.RTP_SALT);
    }

    static SrtpTransform rtcp(SrtpMasterKey master) {
        return new SrtpTransform(master, SrtpKeyDerivation.RTCP_ENCRYPTION, SrtpKeyDerivation.RTCP_AUTHENTICATION,
                SrtpKeyDerivation.RTCP_SALT);
    }

    void crypt(ByteBuffer data, int offset, int length, int ssrc, long index) {
        cipher.apply(data, offset, length, ssrc, index);
    }

    /**
     * HMAC-SHA1 of bytes [offset, offset + length) followed by the 32-bit {@code trailer} (SRTP's ROC; SRTCP
     * authenticates its E flag and index as part of the packet and passes none) into {@link #digest}.
     */
    void authenticate(ByteBuffer data, int offset, int length, boolean withTrailer, int trailer) {
        mac.update(data, offset, length);
        if (withTrailer) {
            mac.update(trailer);
        }
        mac.finish(digest);
    }

    /** Writes the first {@link #TAG_LENGTH} bytes of the last digest at {@code at}. */
    void writeTag(ByteBuffer data, int at) {
        for (int i = 0; i < TAG_LENGTH; i++) {
            data.put(at + i, digest[i]);
        }
    }

    /** Whether the tag at {@code at} is the last digest's, in time independent of where they differ. */
    boolean tagMatches(ByteBuffer data, int at) {
        int difference = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            difference |= data.get(at + i) ^ digest[i];
        }
        return difference == 0;
    }
}
