package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;

/** Where an RTP packet's header ends (RFC 3550 §5.1, §5.3.1): what SRTP leaves in the clear. */
final class RtpPackets {

    static final int FIXED_HEADER_LENGTH = 12;
    /** The bytes SRTCP leaves in the clear: the first RTCP header and its sender's SSRC. */
    static final int RTCP_HEADER_LENGTH = 8;

    private RtpPackets() {
    }

    /**
     * Bytes of the header of the RTP packet at [offset, offset + length): the fixed header, CSRCs and header extension;
     * -1 when they run past the packet's end (a received packet may be anything: no exception to build for it).
     */
    static int headerLength(ByteBuffer packet, int offset, int length) {
        if (length < FIXED_HEADER_LENGTH) {
            return -1;
        }
        int first = packet.get(offset) & 0xFF;
        int headerLength = FIXED_HEADER_LENGTH + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (headerLength + 4 > length) {
                return -1;
            }
            headerLength += 4 + 4 * (packet.getShort(offset + headerLength + 2) & 0xFFFF);
        }
        return headerLength <= length ? headerLength : -1;
    }
}
