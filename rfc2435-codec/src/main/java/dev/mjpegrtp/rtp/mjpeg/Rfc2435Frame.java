package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

/**
 * One JPEG frame cut into RFC 2435 payloads for a given maximum packet size. It holds no sequence numbers or SSRC,
 * so any number of senders may packetize the same frame at once, each with its own RTP state. The fragment layout is
 * computed once here, so writing a packet allocates nothing.
 *
 * <p>Without restart markers every packet is filled to the maximum size. With restart markers whose positions are
 * known ({@link JpegFrame#restartAligned()}), packets are cut on restart interval boundaries as RFC 2435 §3.1.7
 * describes: each chunk of whole intervals that fits goes in one packet (F = L = 1, Restart Count = index of its first
 * interval), and an interval larger than a packet spans several (F on the first, L on the last). A receiver can then
 * decode every chunk that arrived whole. Otherwise F = L = 1 and the count is 0x3FFF: "reassemble the whole frame".
 *
 * <p>With the {@link OnvifJpegExtension ONVIF JPEG header extension} the first packet also carries the frame's SOF
 * segment in its RTP header extension, and its fragment holds that many bytes less.
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
    static final int RESTART_WHOLE_FRAME = 0xFFFF;
    static final int RESTART_FIRST = 0x8000;
    static final int RESTART_LAST = 0x4000;
    static final int RESTART_COUNT_MASK = 0x3FFF;
    /** The smallest packet that still carries a byte of scan beside all headers and two 16-bit tables. */
    public static final int MIN_PACKET_SIZE = RtpHeader.LENGTH + MAIN_HEADER_LENGTH + RESTART_HEADER_LENGTH
            + QUANTIZATION_HEADER_LENGTH + 4 * QuantizationTables.TABLE_SIZE + 1;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_PACKET_SIZE = 65_507;
    /** The packet size, RTP header included, a sender uses unless told otherwise: GStreamer's and FFmpeg's default. */
    public static final int DEFAULT_MTU = 1400;

    private final JpegFrame frame;
    private final int maxPacketSize;
    private final boolean onvifExtension;
    private final int firstFragmentCapacity;
    private final int fragmentCapacity;
    private final int packetCount;
    /** Restart-aligned layout: fragment offset of each packet plus the scan length at the end; null when arithmetic. */
    private final int[] alignedOffsets;
    /** Restart-aligned layout: F, L and Restart Count of each packet. */
    private final int[] alignedRestartFields;

    /**
     * @param maxPacketSize the largest RTP packet to produce, RTP header included (GStreamer's and FFmpeg's "mtu")
     */
    public Rfc2435Frame(JpegFrame frame, int maxPacketSize) {
        this(frame, maxPacketSize, false);
    }

    /**
     * @param maxPacketSize  the largest RTP packet to produce, RTP header and extension included
     * @param onvifExtension whether the first packet carries the {@link OnvifJpegExtension ONVIF JPEG header extension}
     */
    public Rfc2435Frame(JpegFrame frame, int maxPacketSize, boolean onvifExtension) {
        requireValidMtu(maxPacketSize, onvifExtension);
        this.frame = frame;
        this.maxPacketSize = maxPacketSize;
        this.onvifExtension = onvifExtension;
        int perPacket = RtpHeader.LENGTH + MAIN_HEADER_LENGTH + (frame.hasRestartMarkers() ? RESTART_HEADER_LENGTH : 0);
        this.fragmentCapacity = maxPacketSize - perPacket;
        this.firstFragmentCapacity = fragmentCapacity - quantizationHeaderLength() - headerExtensionLength(0);
        if (frame.restartAligned()) {
            AlignedLayout layout = new AlignedLayout(frame.restartIntervalOffsets(), frame.scanLength());
            this.alignedOffsets = layout.offsets;
            this.alignedRestartFields = layout.restartFields;
            this.packetCount = layout.packets;
        } else {
            int rest = frame.scanLength() - firstFragmentCapacity;
            this.alignedOffsets = null;
            this.alignedRestartFields = null;
            this.packetCount = rest <= 0 ? 1 : 1 + (rest + fragmentCapacity - 1) / fragmentCapacity;
        }
    }

    /**
     * Checks a maximum packet size ("mtu", RTP header included) against what a packet must hold and what UDP can
     * carry, for the options that set it; returns it.
     */
    public static int requireValidMtu(int mtu) {
        return requireValidMtu(mtu, false);
    }

    /** Likewise, for packets of which the first carries the ONVIF JPEG header extension when {@code onvifExtension}. */
    public static int requireValidMtu(int mtu, boolean onvifExtension) {
        int min = MIN_PACKET_SIZE + (onvifExtension ? OnvifJpegExtension.LENGTH : 0);
        if (mtu < min || mtu > MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("mtu " + mtu + " outside " + min + ".." + MAX_PACKET_SIZE
                    + (onvifExtension ? " with the ONVIF header extension" : ""));
        }
        return mtu;
    }

    public JpegFrame jpeg() {
        return frame;
    }

    /** The same frame with or without the ONVIF JPEG header extension: this one when that is what it already is. */
    public Rfc2435Frame withOnvifExtension(boolean extension) {
        return extension == onvifExtension ? this : new Rfc2435Frame(frame, maxPacketSize, extension);
    }

    public boolean onvifExtension() {
        return onvifExtension;
    }

    /**
     * Bytes of the RTP header extension of packet {@code index}, its 4-byte header included: 0 when it has none. A
     * sender sets the RTP header's X bit when this is not 0 and writes {@link #writeHeaderExtension} after the fixed
     * header.
     */
    public int headerExtensionLength(int index) {
        return onvifExtension && index == 0 ? OnvifJpegExtension.LENGTH : 0;
    }

    /** Writes the RTP header extension of packet {@code index}, if it has one, at {@code dst}'s position. */
    public void writeHeaderExtension(int index, ByteBuffer dst) {
        if (headerExtensionLength(index) > 0) {
            OnvifJpegExtension.write(dst, frame);
        }
    }

    /** Bytes of the whole RTP packet {@code index}: fixed header, header extension and payload. */
    public int packetLength(int index) {
        return RtpHeader.LENGTH + headerExtensionLength(index) + payloadLength(index);
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
     * scan bytes between the JPEG and the socket. {@code dst} must be big-endian (network order, the default).
     */
    public void writePayload(int index, ByteBuffer dst) {
        if (index < 0 || index >= packetCount) {
            throw new IndexOutOfBoundsException("packet " + index + " of " + packetCount);
        }
        int offset = fragmentOffset(index);
        // One long for the main header, one int for the restart header (the buffer is big-endian, as RtpHeader's).
        // Type-specific 0: progressive scan (RFC 2435 §3.1.1).
        int typeQSize = frame.type() << 24 | frame.q() << 16 | blocks(frame.width()) << 8 | blocks(frame.height());
        dst.putLong((long) offset << 32 | typeQSize & 0xFFFF_FFFFL);
        if (frame.hasRestartMarkers()) {
            dst.putInt(frame.restartInterval() << 16 | restartField(index));
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
        if (alignedOffsets != null) {
            return alignedOffsets[index];
        }
        return index == 0 ? 0 : firstFragmentCapacity + (index - 1) * fragmentCapacity;
    }

    /** The 16 bits after the restart interval in packet {@code index}: F, L and the Restart Count (§3.1.7). */
    public int restartField(int index) {
        return alignedRestartFields != null ? alignedRestartFields[index] : RESTART_WHOLE_FRAME;
    }

    private int fragmentLength(int index) {
        if (alignedOffsets != null) {
            return alignedOffsets[index + 1] - alignedOffsets[index];
        }
        int capacity = index == 0 ? firstFragmentCapacity : fragmentCapacity;
        return Math.min(capacity, frame.scanLength() - fragmentOffset(index));
    }

    /** Width or height in 8-pixel blocks; 0 above 2040 pixels, the size then travels out of band (§3.1.5). */
    private static int blocks(int pixels) {
        return pixels > JpegFrame.MAX_DIMENSION ? 0 : (pixels + 7) >> 3;
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

    /**
     * Packets cut on restart interval boundaries: chunks of whole intervals, or one interval over several packets.
     * The cut is walked twice, first to count the packets and then to fill arrays of exactly that size, so a frame
     * allocates its layout once and nothing more.
     */
    private final class AlignedLayout {
        final int packets;
        /** Fragment offset of each packet, then the scan length. */
        final int[] offsets;
        /** F, L and Restart Count of each packet. */
        final int[] restartFields;
        private final int[] intervalOffsets;
        private final int scanLength;

        AlignedLayout(int[] intervalOffsets, int scanLength) {
            this.intervalOffsets = intervalOffsets;
            this.scanLength = scanLength;
            this.packets = cut(null, null);
            this.offsets = new int[packets + 1];
            this.restartFields = new int[packets];
            cut(offsets, restartFields);
            offsets[packets] = scanLength;
        }

        /** Cuts the scan, writing each packet's offset and restart field when the arrays are given; the count. */
        private int cut(int[] offsets, int[] restartFields) {
            int intervals = intervalOffsets.length;
            int packet = 0;
            int interval = 0;
            while (interval < intervals) {
                int start = intervalOffsets[interval];
                int capacity = packet == 0 ? firstFragmentCapacity : fragmentCapacity;
                int next = interval + 1;
                while (next < intervals && end(next) - start <= capacity) {
                    next++;
                }
                int chunkEnd = end(next - 1);
                if (chunkEnd - start <= capacity) {
                    if (offsets != null) {
                        offsets[packet] = start;
                        restartFields[packet] = RESTART_FIRST | RESTART_LAST | interval;
                    }
                    packet++;
                } else {
                    // One interval larger than a packet: F on its first packet, L on its last.
                    int at = start;
                    while (at < chunkEnd) {
                        int room = packet == 0 ? firstFragmentCapacity : fragmentCapacity;
                        if (offsets != null) {
                            int flags = (at == start ? RESTART_FIRST : 0) | (chunkEnd - at <= room ? RESTART_LAST : 0);
                            offsets[packet] = at;
                            restartFields[packet] = flags | interval;
                        }
                        packet++;
                        at += Math.min(room, chunkEnd - at);
                    }
                }
                interval = next;
            }
            return packet;
        }

        /** Where interval {@code index} ends: the next one's start, or the end of the scan. */
        private int end(int index) {
            return index + 1 < intervalOffsets.length ? intervalOffsets[index + 1] : scanLength;
        }
    }
}
