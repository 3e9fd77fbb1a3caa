package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

import dev.mjpegrtp.jpeg.JpegMarker;

/**
 * The JPEG RTP header extension of the ONVIF Streaming Specification (§ "JPEG over RTP"): JPEG marker segments in the
 * RTP header extension of a frame's first packet, which take precedence over what RFC 2435 derives from its own
 * header. The sender puts the frame's SOF segment there, so a receiver learns a width or height above the 2040 pixels
 * the RFC 2435 header can hold from the stream itself, without the SDP's {@code a=x-dimensions}. Receivers that do
 * not know the extension skip it, as RFC 3550 §5.3.1 requires.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      0xFFD8 (first packet)    |     length in 32-bit words    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  JPEG marker segments (here SOF0 or SOF1), padded with 0xFF   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class OnvifJpegExtension {

    /** The extension's first 16 bits in a frame's first packet: the JPEG SOI marker. */
    public static final int INITIAL_PROFILE = 0xFFD8;
    /** The extension's first 16 bits in the frame's other packets, which this sender does not extend. */
    public static final int CONTINUATION_PROFILE = 0xFFFF;
    private static final int SOF_SEGMENT = 2 + 17;
    /** Bytes of the extension this sender writes: its header, the SOF segment and one 0xFF of padding. */
    public static final int LENGTH = 4 + (SOF_SEGMENT + 3) / 4 * 4;

    private OnvifJpegExtension() {
    }

    /**
     * Writes the extension of {@code frame}'s first packet at {@code dst}'s position (big-endian) and advances it: the
     * SOF segment RFC 2435's Appendix B would rebuild, but with the real width and height.
     */
    public static void write(ByteBuffer dst, JpegFrame frame) {
        dst.putShort((short) INITIAL_PROFILE);
        dst.putShort((short) ((LENGTH - 4) / 4));
        // 16-bit tables are not allowed in a baseline frame: extended sequential (SOF1) then, as the receiver rebuilds.
        dst.put((byte) 0xFF).put((byte) (frame.precision() == 0 ? JpegMarker.SOF0 : JpegMarker.SOF1));
        dst.putShort((short) (SOF_SEGMENT - 2));
        dst.put((byte) 8); // sample precision
        dst.putShort((short) frame.height());
        dst.putShort((short) frame.width());
        dst.put((byte) 3); // components, as RFC 2435 Appendix B numbers them
        dst.put((byte) 1).put((byte) ((frame.type() & 1) == 0 ? 0x21 : 0x22)).put((byte) 0); // Y, table 0
        dst.put((byte) 2).put((byte) 0x11).put((byte) 1); // Cb, table 1
        dst.put((byte) 3).put((byte) 0x11).put((byte) 1); // Cr, table 1
        for (int pad = SOF_SEGMENT; pad < LENGTH - 4; pad++) {
            dst.put((byte) 0xFF);
        }
    }

    /**
     * The width and height of the first SOF segment among the marker segments in {@code packet[offset, offset +
     * length)}, the data of an extension whose profile is {@link #INITIAL_PROFILE}, as {@code width << 16 | height};
     * -1 when they hold none. 0xFF fill bytes between segments are skipped; the walk stops at SOS, which ends them.
     *
     * @throws MalformedRtpJpegPacketException when a segment runs past the extension, or it holds something that is
     *                                         not a marker segment
     */
    public static long frameSize(ByteBuffer packet, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if ((packet.get(at) & 0xFF) != 0xFF) {
                throw new MalformedRtpJpegPacketException("ONVIF JPEG header extension holds 0x"
                        + Integer.toHexString(packet.get(at) & 0xFF).toUpperCase() + " where a marker should be");
            }
            int code = at + 1 < end ? packet.get(at + 1) & 0xFF : 0xFF;
            if (code == 0xFF) {
                at++; // fill or padding
                continue;
            }
            if (code == JpegMarker.SOS || code == JpegMarker.EOI) {
                return -1;
            }
            if (at + 4 > end || at + 2 + (packet.getShort(at + 2) & 0xFFFF) > end) {
                throw new MalformedRtpJpegPacketException("marker segment " + JpegMarker.hex(code)
                        + " runs past the end of the ONVIF JPEG header extension");
            }
            int segmentLength = packet.getShort(at + 2) & 0xFFFF;
            if (code == JpegMarker.SOF0 || code == JpegMarker.SOF1) {
                if (segmentLength < 7) {
                    throw new MalformedRtpJpegPacketException("SOF segment of " + segmentLength
                            + " bytes in the ONVIF JPEG header extension");
                }
                int height = packet.getShort(at + 5) & 0xFFFF;
                int width = packet.getShort(at + 7) & 0xFFFF;
                if (width == 0 || height == 0) {
                    throw new MalformedRtpJpegPacketException("SOF of " + width + "x" + height
                            + " in the ONVIF JPEG header extension");
                }
                return (long) width << 16 | height;
            }
            at += 2 + segmentLength;
        }
        return -1;
    }
}
