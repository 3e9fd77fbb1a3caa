package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;

/**
 * Protects the RTP and RTCP packets of one outgoing stream (one SSRC) in place: SRTP (RFC 3711 §3.1) encrypts an RTP
 * packet's payload behind its header and appends a 10-byte authentication tag over header, payload and rollover
 * counter; SRTCP (§3.4) encrypts an RTCP compound packet behind its first 8 bytes and appends the E flag with the
 * 31-bit SRTCP index, then the tag. The caller leaves room for what is appended: {@link #RTP_OVERHEAD} and
 * {@link #RTCP_OVERHEAD} bytes after the packet.
 *
 * <p>The rollover counter follows the sequence numbers as the stream sends them, one up from the last: it counts a
 * wrap when a sequence number is below the one before. One thread at a time; nothing allocated per packet.
 */
public final class SrtpSender {

    /** Bytes SRTP adds to an RTP packet: the authentication tag. */
    public static final int RTP_OVERHEAD = SrtpTransform.TAG_LENGTH;
    /** Bytes SRTCP adds to an RTCP compound packet: E flag and index, then the authentication tag. */
    public static final int RTCP_OVERHEAD = Integer.BYTES + SrtpTransform.TAG_LENGTH;
    private static final int RTCP_ENCRYPTED_FLAG = 0x8000_0000;
    private static final int RTCP_MAX_INDEX = 0x7FFF_FFFF;

    private final SrtpTransform rtp;
    private final SrtpTransform rtcp;
    private int rolloverCounter;
    private int lastSequenceNumber = -1;
    private int rtcpIndex;

    public SrtpSender(SrtpMasterKey key) {
        this.rtp = SrtpTransform.rtp(key);
        this.rtcp = SrtpTransform.rtcp(key);
    }

    /**
     * Protects the RTP packet at [offset, offset + length) of {@code packet} (absolute positions: neither its position
     * nor its limit changes), which must have {@link #RTP_OVERHEAD} bytes of room after it.
     *
     * @return the protected packet's length
     * @throws IllegalArgumentException when the packet is shorter than its header says
     */
    public int protectRtp(ByteBuffer packet, int offset, int length) {
        int headerLength = RtpPackets.headerLength(packet, offset, length);
        if (headerLength < 0) {
            throw new IllegalArgumentException("an RTP packet of " + length + " bytes is shorter than its header");
        }
        int sequenceNumber = packet.getShort(offset + 2) & 0xFFFF;
        if (sequenceNumber < lastSequenceNumber) {
            rolloverCounter++;
        }
        lastSequenceNumber = sequenceNumber;
        long index = (long) rolloverCounter << 16 | sequenceNumber;
        rtp.crypt(packet, offset + headerLength, length - headerLength, packet.getInt(offset + 8), index);
        rtp.authenticate(packet, offset, length, true, rolloverCounter);
        rtp.writeTag(packet, offset + length);
        return length + RTP_OVERHEAD;
    }

    /**
     * Protects the RTCP compound packet at [offset, offset + length) of {@code packet}, which must have
     * {@link #RTCP_OVERHEAD} bytes of room after it. SRTCP indices count from 1, as libsrtp's do.
     *
     * @return the protected packet's length
     */
    public int protectRtcp(ByteBuffer packet, int offset, int length) {
        if (length < RtpPackets.RTCP_HEADER_LENGTH) {
            throw new IllegalArgumentException("an RTCP packet of " + length + " bytes has no sender SSRC");
        }
        rtcpIndex = rtcpIndex == RTCP_MAX_INDEX ? 1 : rtcpIndex + 1;
        int encrypted = RtpPackets.RTCP_HEADER_LENGTH;
        rtcp.crypt(packet, offset + encrypted, length - encrypted, packet.getInt(offset + 4), rtcpIndex);
        packet.putInt(offset + length, RTCP_ENCRYPTED_FLAG | rtcpIndex);
        rtcp.authenticate(packet, offset, length + Integer.BYTES, false, 0);
        rtcp.writeTag(packet, offset + length + Integer.BYTES);
        return length + RTCP_OVERHEAD;
    }
}
