package dev.mjpegrtp.testing;

import java.nio.ByteBuffer;

/**
 * An RTP/JPEG packet as a test sees it: the RTP fixed header (RFC 3550 §5.1) and the fragment offset of the RFC 2435
 * main header after any header extension, read straight from the bytes.
 */
public record RtpPacket(int payloadType, boolean marker, int sequenceNumber, long timestamp, long ssrc,
                        int fragmentOffset, int length) {

    public static RtpPacket parse(byte[] packet, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(packet, 0, length);
        int first = buffer.get(0) & 0xFF;
        if (first >> 6 != 2 || length < 20) {
            throw new AssertionError("not an RTP/JPEG packet: version " + (first >> 6) + ", " + length + " bytes");
        }
        int headerLength = 12 + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            headerLength += 4 + 4 * (buffer.getShort(headerLength + 2) & 0xFFFF); // the header extension
        }
        int second = buffer.get(1) & 0xFF;
        return new RtpPacket(second & 0x7F, (second & 0x80) != 0, buffer.getShort(2) & 0xFFFF,
                buffer.getInt(4) & 0xFFFFFFFFL, buffer.getInt(8) & 0xFFFFFFFFL,
                buffer.getInt(headerLength) & 0xFFFFFF, length);
    }

    public static RtpPacket parse(byte[] packet) {
        return parse(packet, packet.length);
    }
}
