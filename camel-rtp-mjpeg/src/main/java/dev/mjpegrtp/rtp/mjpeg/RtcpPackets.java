package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The RTCP packets a sender emits (RFC 3550 §6): a sender report, the CNAME that must accompany it in every compound
 * packet (§6.1), and BYE when the stream ends. Written in place, so a report costs no allocation.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class RtcpPackets {

    public static final int SENDER_REPORT = 200;
    public static final int SOURCE_DESCRIPTION = 202;
    public static final int BYE = 203;
    /** Bytes of a sender report without reception report blocks. */
    public static final int SENDER_REPORT_LENGTH = 28;
    /** Bytes of a BYE for one source without a reason. */
    public static final int BYE_LENGTH = 8;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final int SDES_CNAME = 1;

    private RtcpPackets() {
    }

    /** Writes a sender report with no reception blocks. */
    public static void writeSenderReport(ByteBuffer dst, int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount,
                                         long octetCount) {
        header(dst, 0, SENDER_REPORT, SENDER_REPORT_LENGTH);
        dst.putInt(ssrc);
        dst.putLong(ntpTimestamp);
        dst.putInt(rtpTimestamp);
        dst.putInt((int) packetCount); // both counts wrap modulo 2^32 (RFC 3550 §6.4.1)
        dst.putInt((int) octetCount);
    }

    /** Bytes {@link #writeSourceDescription} writes for this CNAME. */
    public static int sourceDescriptionLength(byte[] cname) {
        // header, SSRC, item type and length, the name, then at least one zero octet ending the list, padded to 32 bits
        return 8 + ((2 + cname.length + 1 + 3) & ~3);
    }

    /** Writes an SDES packet with one chunk: this source's CNAME (at most 255 bytes). */
    public static void writeSourceDescription(ByteBuffer dst, int ssrc, byte[] cname) {
        int length = sourceDescriptionLength(cname);
        header(dst, 1, SOURCE_DESCRIPTION, length);
        dst.putInt(ssrc);
        dst.put((byte) SDES_CNAME);
        dst.put((byte) cname.length);
        dst.put(cname);
        for (int written = 8 + 2 + cname.length; written < length; written++) {
            dst.put((byte) 0);
        }
    }

    /** Writes a BYE for one source, without a reason. */
    public static void writeBye(ByteBuffer dst, int ssrc) {
        header(dst, 1, BYE, BYE_LENGTH);
        dst.putInt(ssrc);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high word, binary fraction in the low word) of an instant. */
    public static long ntpTimestamp(Instant instant) {
        long seconds = instant.getEpochSecond() + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return seconds << 32 | fraction;
    }

    /** A CNAME as RFC 3550 §6.5.1 suggests: user@host, here the stream's name at this host. */
    public static byte[] cname(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 255 ? bytes : java.util.Arrays.copyOf(bytes, 255);
    }

    private static void header(ByteBuffer dst, int count, int packetType, int lengthBytes) {
        dst.put((byte) (RtpHeader.VERSION << 6 | count));
        dst.put((byte) packetType);
        dst.putShort((short) (lengthBytes / 4 - 1)); // in 32-bit words minus one
    }
}
