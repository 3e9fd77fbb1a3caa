package dev.mjpegrtp.camel.rtsp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The RTCP (RFC 3550 §6) a sender needs: it writes sender reports with the CNAME every compound packet must carry,
 * and BYE; it reads the receiver reports and BYEs viewers send.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class Rtcp {

    static final int SENDER_REPORT = 200;
    static final int RECEIVER_REPORT = 201;
    static final int SOURCE_DESCRIPTION = 202;
    static final int BYE = 203;
    private static final int VERSION_BITS = 2 << 6;
    private static final int SDES_CNAME = 1;
    private static final int HEADER_LENGTH = 4;
    private static final int REPORT_BLOCK_LENGTH = 24;
    private static final int SENDER_INFO_LENGTH = 20;
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private Rtcp() {
    }

    /** A sender report with no report blocks, followed by an SDES carrying {@code cname}. */
    static void writeSenderReport(ByteBuf out, int ssrc, long wallClockMillis, int rtpTimestamp, long packets,
                                  long octets, String cname) {
        out.writeByte(VERSION_BITS);
        out.writeByte(SENDER_REPORT);
        out.writeShort((HEADER_LENGTH + 4 + SENDER_INFO_LENGTH) / 4 - 1);
        out.writeInt(ssrc);
        out.writeLong(ntpTimestamp(wallClockMillis));
        out.writeInt(rtpTimestamp);
        out.writeInt((int) packets); // both counts wrap modulo 2^32 (§6.4.1)
        out.writeInt((int) octets);
        writeCname(out, ssrc, cname);
    }

    /** A BYE for {@code ssrc}, preceded by the SDES a compound packet must start with after a report. */
    static void writeBye(ByteBuf out, int ssrc, String cname) {
        out.writeByte(VERSION_BITS);
        out.writeByte(RECEIVER_REPORT); // an empty receiver report: a compound packet starts with a report
        out.writeShort(1);
        out.writeInt(ssrc);
        writeCname(out, ssrc, cname);
        out.writeByte(VERSION_BITS | 1);
        out.writeByte(BYE);
        out.writeShort(1);
        out.writeInt(ssrc);
    }

    private static void writeCname(ByteBuf out, int ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        int itemLength = Math.min(text.length, 255);
        int items = 2 + itemLength;
        int padded = (items / 4 + 1) * 4; // at least one null octet ends the item list, then 32-bit alignment
        out.writeByte(VERSION_BITS | 1);
        out.writeByte(SOURCE_DESCRIPTION);
        out.writeShort((HEADER_LENGTH + 4 + padded) / 4 - 1);
        out.writeInt(ssrc);
        out.writeByte(SDES_CNAME);
        out.writeByte(itemLength);
        out.writeBytes(text, 0, itemLength);
        out.writeZero(padded - items);
    }

    static long ntpTimestamp(long wallClockMillis) {
        long seconds = Math.floorDiv(wallClockMillis, 1000) + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((long) Math.floorMod(wallClockMillis, 1000) << 32) / 1000;
        return seconds << 32 | fraction;
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
    static Feedback read(ByteBuf compound, int ssrc, long viewerSsrc) {
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
    record Feedback(long viewerSsrc, boolean bye, ReportBlock report) {

        boolean fromViewer() {
            return viewerSsrc >= 0;
        }
    }

    /**
     * @param fractionLost   packets lost since the previous report, in 1/256ths
     * @param cumulativeLost packets lost since the start
     * @param jitter         interarrival jitter in 90 kHz ticks
     */
    record ReportBlock(int fractionLost, int cumulativeLost, long jitter) {
    }
}
