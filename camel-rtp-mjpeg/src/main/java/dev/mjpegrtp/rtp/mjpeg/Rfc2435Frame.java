package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

/**
 * One JPEG frame cut into RFC 2435 payloads for a given maximum packet size. It holds no sequence numbers or SSRC,
 * so any number of senders may packetize the same frame at once, each with its own RTP state; the fragment layout is
 * arithmetic, so writing a packet allocates nothing.
 *
 * <p>Each payload is the main JPEG header, the restart marker header for types 64-127, the quantization table header
 * in the first packet when Q ≥ 128, and the next run of scan bytes (RFC 2435 §3.1):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type-specific |              Fragment Offset                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Type     |       Q       |     Width     |     Height    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Restart Interval        |F|L|       Restart Count       |   types 64-127
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      MBZ      |   Precision   |             Length            |   first packet, Q 128-255
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Quantization Table Data                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Rfc2435Frame {

    public static final int MAIN_HEADER_LENGTH = 8;
    public static final int RESTART_HEADER_LENGTH = 4;
    public static final int QUANTIZATION_HEADER_LENGTH = 4;
    /** §3.1.7: F = L = 1 and count 0x3FFF say "this packet holds an arbitrary part of the frame". */
    private static final int RESTART_WHOLE_FRAME = 0xFFFF;
    /** The smallest packet that still carries a byte of scan beside all headers and two 16-bit tables. */
    public static final int MIN_PACKET_SIZE = RtpHeader.LENGTH + MAIN_HEADER_LENGTH + RESTART_HEADER_LENGTH
            + QUANTIZATION_HEADER_LENGTH + 4 * QuantizationTables.TABLE_SIZE + 1;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_PACKET_SIZE = 65_507;

    private final JpegFrame frame;
    private final int maxPacketSize;
    private final int firstFragmentCapacity;
    private final int fragmentCapacity;
    private final int packetCount;

    /**
     * @param maxPacketSize the largest RTP packet to produce, RTP header included (GStreamer's and FFmpeg's "mtu")
     */
    public Rfc2435Frame(JpegFrame frame, int maxPacketSize) {
        if (maxPacketSize < MIN_PACKET_SIZE || maxPacketSize > MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("maximum packet size " + maxPacketSize + " outside "
                    + MIN_PACKET_SIZE + ".." + MAX_PACKET_SIZE);
        }
        this.frame = frame;
        this.maxPacketSize = maxPacketSize;
        int perPacket = RtpHeader.LENGTH + MAIN_HEADER_LENGTH + (frame.hasRestartMarkers() ? RESTART_HEADER_LENGTH : 0);
        this.fragmentCapacity = maxPacketSize - perPacket;
        this.firstFragmentCapacity = fragmentCapacity - quantizationHeaderLength();
        int rest = frame.scanLength() - firstFragmentCapacity;
        this.packetCount = rest <= 0 ? 1 : 1 + (rest + fragmentCapacity - 1) / fragmentCapacity;
    }

    public JpegFrame jpeg() {
        return frame;
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    public int packetCount() {
        return packetCount;
    }

    /** Bytes of the RFC 2435 payload of packet {@code index} (no RTP header). */
    public int payloadLength(int index) {
        return headerLength(index) + fragmentLength(index);
    }

    /** Payload bytes of all packets together: what the frame costs on the wire beyond RTP/UDP/IP headers. */
    public int totalPayloadLength() {
        return packetCount * (MAIN_HEADER_LENGTH + (frame.hasRestartMarkers() ? RESTART_HEADER_LENGTH : 0))
                + quantizationHeaderLength() + frame.scanLength();
    }

    /**
     * Writes the payload of packet {@code index} at {@code dst}'s position and advances it: the only copy of the
     * scan bytes between the JPEG and the socket.
     */
    public void writePayload(int index, ByteBuffer dst) {
        if (index < 0 || index >= packetCount) {
            throw new IndexOutOfBoundsException("packet " + index + " of " + packetCount);
        }
        int offset = fragmentOffset(index);
        dst.put((byte) 0); // type-specific: progressive scan (RFC 2435 §3.1.1)
        dst.put((byte) (offset >>> 16));
        dst.putShort((short) offset);
        dst.put((byte) frame.type());
        dst.put((byte) frame.q());
        dst.put((byte) ((frame.width() + 7) >> 3));
        dst.put((byte) ((frame.height() + 7) >> 3));
        if (frame.hasRestartMarkers()) {
            dst.putShort((short) frame.restartInterval());
            dst.putShort((short) RESTART_WHOLE_FRAME);
        }
        if (index == 0 && frame.tablesInBand()) {
            int luma = frame.lumaTableLength();
            int chroma = frame.chromaTableLength();
            dst.put((byte) 0);
            dst.put((byte) frame.precision());
            dst.putShort((short) (luma + chroma));
            dst.put(frame.data(), frame.lumaTableOffset(), luma);
            dst.put(frame.data(), frame.chromaTableOffset(), chroma);
        }
        dst.put(frame.data(), frame.scanOffset() + offset, fragmentLength(index));
    }

    /** Offset of packet {@code index}'s first scan byte within the scan (the header's fragment offset). */
    public int fragmentOffset(int index) {
        return index == 0 ? 0 : firstFragmentCapacity + (index - 1) * fragmentCapacity;
    }

    private int fragmentLength(int index) {
        int capacity = index == 0 ? firstFragmentCapacity : fragmentCapacity;
        return Math.min(capacity, frame.scanLength() - fragmentOffset(index));
    }

    private int headerLength(int index) {
        return MAIN_HEADER_LENGTH + (frame.hasRestartMarkers() ? RESTART_HEADER_LENGTH : 0)
                + (index == 0 ? quantizationHeaderLength() : 0);
    }

    private int quantizationHeaderLength() {
        return frame.tablesInBand()
                ? QUANTIZATION_HEADER_LENGTH + frame.lumaTableLength() + frame.chromaTableLength()
                : 0;
    }
}
