package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

/**
 * The fixed RTP header (RFC 3550 §5.1), written in place and read into a reusable view so that neither direction
 * allocates per packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtpHeader {

    /** Bytes of the fixed header without CSRCs or extension. */
    public static final int LENGTH = 12;
    public static final int VERSION = 2;
    /** The static payload type RFC 3551 assigns to JPEG. */
    public static final int PAYLOAD_TYPE_JPEG = 26;
    /** JPEG timestamps run at 90 kHz (RFC 2435 §3). */
    public static final int CLOCK_RATE = 90_000;

    private boolean marker;
    private int payloadType;
    private int sequenceNumber;
    private int timestamp;
    private int ssrc;
    private int extensionProfile;
    private int extensionOffset;
    private int extensionLength;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Writes a header without CSRCs or extension at the buffer's position and advances it. The buffer must be in
     * network byte order (big-endian, ByteBuffer's and Netty's default): the first 32 bits go as one int.
     */
    public static void write(ByteBuffer dst, int payloadType, boolean marker, int sequenceNumber, int timestamp, int ssrc) {
        write(dst, payloadType, marker, sequenceNumber, timestamp, ssrc, false);
    }

    /**
     * Likewise, with the X bit set when {@code extension}: the header extension must follow, written by the caller.
     */
    public static void write(ByteBuffer dst, int payloadType, boolean marker, int sequenceNumber, int timestamp, int ssrc,
                             boolean extension) {
        dst.putInt(VERSION << 30 | (extension ? 1 << 28 : 0) | (marker ? 1 << 23 : 0) | (payloadType & 0x7F) << 16
                | sequenceNumber & 0xFFFF);
        dst.putInt(timestamp);
        dst.putInt(ssrc);
    }

    /**
     * Reads the header of the packet between {@code packet}'s position and limit (neither changes) into this view.
     *
     * @throws MalformedRtpJpegPacketException when it is not an RTP version 2 packet or its lengths run past its end
     */
    public RtpHeader read(ByteBuffer packet) {
        int start = packet.position();
        int length = packet.remaining();
        if (length < LENGTH) {
            throw new MalformedRtpJpegPacketException("RTP packet of " + length + " bytes is shorter than its header");
        }
        int first = packet.get(start) & 0xFF;
        if (first >> 6 != VERSION) {
            throw new MalformedRtpJpegPacketException("RTP version " + (first >> 6) + ", expected 2");
        }
        int second = packet.get(start + 1) & 0xFF;
        marker = (second & 0x80) != 0;
        payloadType = second & 0x7F;
        sequenceNumber = packet.getShort(start + 2) & 0xFFFF;
        timestamp = packet.getInt(start + 4);
        ssrc = packet.getInt(start + 8);
        int headerLength = LENGTH + 4 * (first & 0x0F);
        extensionProfile = -1;
        extensionOffset = 0;
        extensionLength = 0;
        if ((first & 0x10) != 0) {
            if (length < headerLength + 4) {
                throw new MalformedRtpJpegPacketException("RTP header extension runs past the end of the packet");
            }
            extensionProfile = packet.getShort(start + headerLength) & 0xFFFF;
            extensionLength = 4 * (packet.getShort(start + headerLength + 2) & 0xFFFF);
            extensionOffset = start + headerLength + 4;
            headerLength += 4 + extensionLength;
        }
        int padding = (first & 0x20) != 0 ? packet.get(start + length - 1) & 0xFF : 0;
        if (headerLength + padding > length || ((first & 0x20) != 0 && padding == 0)) {
            throw new MalformedRtpJpegPacketException("RTP CSRC list, extension or padding runs past the end of the packet");
        }
        payloadOffset = start + headerLength;
        payloadLength = length - headerLength - padding;
        return this;
    }

    public boolean marker() {
        return marker;
    }

    public int payloadType() {
        return payloadType;
    }

    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** The 32-bit RTP timestamp; compare as unsigned. */
    public int timestamp() {
        return timestamp;
    }

    public int ssrc() {
        return ssrc;
    }

    /** The first 16 bits of the header extension ("defined by profile"), -1 when the packet has none. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /** Absolute offset of the header extension's data (after its 4-byte header) in the buffer last read. */
    public int extensionOffset() {
        return extensionOffset;
    }

    /** Bytes of the header extension's data, 0 when there is none. */
    public int extensionLength() {
        return extensionLength;
    }

    /** Absolute offset of the payload in the buffer last read. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }
}
