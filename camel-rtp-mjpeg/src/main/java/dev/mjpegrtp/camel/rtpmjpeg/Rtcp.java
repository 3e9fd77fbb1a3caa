package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * The RTCP (RFC 3550 §6) both senders need: they write sender reports, the CNAME every compound packet must carry
 * (§6.1) and BYE with it; rtsp-mjpeg reads the receiver reports and BYEs its viewers send. Written straight into the
 * buffer that goes on the wire.
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
public final class Rtcp {

    public static final int SENDER_REPORT = 200;
    public static final int RECEIVER_REPORT = 201;
    public static final int SOURCE_DESCRIPTION = 202;
    public static final int BYE = 203;
    /** Bytes of a sender report without reception report blocks. */
    public static final int SENDER_REPORT_LENGTH = 28;
    /** Bytes of a receiver report without reception report blocks. */
    /** Bytes of a BYE for one source without a reason. */
    public static final int BYE_LENGTH = 8;
    private static final int VERSION_BITS = 2 << 6;
    private static final int SDES_CNAME = 1;
    private static final int HEADER_LENGTH = 4;
    private static final int REPORT_BLOCK_LENGTH = 24;
    private static final int SENDER_INFO_LENGTH = 20;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private Rtcp() {
    }

    /** Writes a sender report with no reception blocks. */
    public static void writeSenderReport(ByteBuf out, int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount,
                                         long octetCount) {
        header(out, 0, SENDER_REPORT, SENDER_REPORT_LENGTH);
        out.writeInt(ssrc);
        out.writeLong(ntpTimestamp);
        out.writeInt(rtpTimestamp);
        out.writeInt((int) packetCount); // both counts wrap modulo 2^32 (§6.4.1)
        out.writeInt((int) octetCount);
    }

    /** Bytes {@link #writeSourceDescription} writes for this CNAME. */
    public static int sourceDescriptionLength(byte[] cname) {
        // header, SSRC, item type and length, the name, then at least one zero octet ending the list, padded to 32 bits
        return 8 + ((2 + cname.length + 1 + 3) & ~3);
    }

    /** Writes an SDES packet with one chunk: this source's CNAME (at most 255 bytes, see {@link #cname}). */
    public static void writeSourceDescription(ByteBuf out, int ssrc, byte[] cname) {
        int length = sourceDescriptionLength(cname);
        header(out, 1, SOURCE_DESCRIPTION, length);
        out.writeInt(ssrc);
        out.writeByte(SDES_CNAME);
        out.writeByte(cname.length);
        out.writeBytes(cname);
        out.writeZero(length - (8 + 2 + cname.length));
    }

    /** Writes a BYE for one source, without a reason; a compound packet's last. */
    public static void writeBye(ByteBuf out, int ssrc) {
        header(out, 1, BYE, BYE_LENGTH);
        out.writeInt(ssrc);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high word, binary fraction in the low word) of an instant. */
    public static long ntpTimestamp(Instant instant) {
        long seconds = instant.getEpochSecond() + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return seconds << 32 | fraction;
    }

    /** A CNAME as RFC 3550 §6.5.1 suggests (user@host, or the stream's name at this host), cut to the 255 bytes SDES holds. */
    public static byte[] cname(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 255 ? bytes : Arrays.copyOf(bytes, 255);
    }

    private static void header(ByteBuf out, int count, int packetType, int lengthBytes) {
        out.writeByte(VERSION_BITS | count);
        out.writeByte(packetType);
        out.writeShort(lengthBytes / 4 - 1); // in 32-bit words minus one
    }

    /**
     * What a viewer's compound RTCP packet says about the stream {@code ssrc} sends; null when it is not well formed
     * RTCP. Only the readable bytes are looked at; the reader index does not move.
     *
     * <p>Only what comes from the viewer counts, and the viewer is known by its own SSRC: the sender of a receiver or
     * sender report that carries a report block about {@code ssrc}. A packet that names neither is about somebody
     * else, or forged by somebody who has not seen our stream (our SSRC is random and travels only to the viewer).
     *
     * @param viewerSsrc the viewer's SSRC learned from its earlier reports, or -1 before its first: then the sender
     *                   of the first report in this packet with a block about {@code ssrc} is taken for the viewer
     */
    public static Feedback read(ByteBuf compound, int ssrc, long viewerSsrc) {
        int offset = compound.readerIndex();
        int end = compound.writerIndex();
        long viewer = viewerSsrc;
        boolean fromViewer = false;
        boolean bye = false;
        ReportBlock report = null;
        if (end - offset < HEADER_LENGTH) {
            return null;
        }
        while (end - offset >= HEADER_LENGTH) {
            int first = compound.getUnsignedByte(offset);
            int type = compound.getUnsignedByte(offset + 1);
            int length = (compound.getUnsignedShort(offset + 2) + 1) * 4;
            if ((first & 0xC0) != VERSION_BITS || length > end - offset) {
                return null;
            }
            int count = first & 0x1F;
            if ((type == RECEIVER_REPORT || type == SENDER_REPORT) && length >= HEADER_LENGTH + 4) {
                long sender = compound.getUnsignedInt(offset + HEADER_LENGTH);
                int blocks = offset + HEADER_LENGTH + 4 + (type == SENDER_REPORT ? SENDER_INFO_LENGTH : 0);
                for (int i = 0; i < count && blocks + (i + 1) * REPORT_BLOCK_LENGTH <= offset + length; i++) {
                    int block = blocks + i * REPORT_BLOCK_LENGTH;
                    if (compound.getInt(block) == ssrc && (viewer < 0 || sender == viewer)) {
                        viewer = sender;
                        fromViewer = true;
                        int lost = compound.getInt(block + 4) << 8 >> 8; // 24-bit signed
                        report = new ReportBlock(compound.getUnsignedByte(block + 4), lost,
                                compound.getUnsignedInt(block + 12));
                    }
                }
            } else if (type == BYE && viewer >= 0) {
                for (int i = 0; i < count && HEADER_LENGTH + (i + 1) * 4 <= length; i++) {
                    if (compound.getUnsignedInt(offset + HEADER_LENGTH + i * 4) == viewer) {
                        bye = true;
                    }
                }
            }
            offset += length;
        }
        return new Feedback(fromViewer || bye ? viewer : -1, bye, report);
    }

    /**
     * A viewer's RTCP.
     *
     * @param viewerSsrc the viewer's SSRC when the packet came from it (a report about our stream, or a BYE naming
     *                   the viewer's known SSRC); -1 when nothing in it is the viewer's
     * @param bye        whether the viewer said BYE
     * @param report     its reception report on our stream, if it sent one
     */
    public record Feedback(long viewerSsrc, boolean bye, ReportBlock report) {

        public boolean fromViewer() {
            return viewerSsrc >= 0;
        }
    }

    /**
     * @param fractionLost   packets lost since the previous report, in 1/256ths
     * @param cumulativeLost packets lost since the start
     * @param jitter         interarrival jitter in 90 kHz ticks
     */
    public record ReportBlock(int fractionLost, int cumulativeLost, long jitter) {
    }
}
