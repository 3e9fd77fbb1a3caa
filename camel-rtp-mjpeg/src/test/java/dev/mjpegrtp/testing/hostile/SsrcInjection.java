package dev.mjpegrtp.testing.hostile;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Frames of the attacker's own picture under the stream's SSRC, from another address than the stream's sender
 * (issue 17, finding 6): one-packet 16x16 gray frames, {@value #FRAMES_PER_SECOND} a second, with sequence numbers and
 * timestamps of their own. A receiver that accepts the SSRC from any address mixes them into the stream (and loses the
 * sender's frames they cut into). Anyone who sees one packet of the stream knows its SSRC.
 */
public final class SsrcInjection extends PacedRtpAttack {

    static final int FRAMES_PER_SECOND = 30;
    /** Two 16x8 MCUs of mid-gray (zero DC difference and end-of-block in every block, Annex K tables), then EOI. */
    private static final byte[] GRAY_16X16_SCAN = {0x28, (byte) 0xA0, 0x02, (byte) 0x8A, 0x00, (byte) 0xFF, (byte) 0xD9};

    /** @param ssrc the stream's SSRC */
    public SsrcInjection(InetAddress source, InetSocketAddress target, int ssrc) {
        super("ssrc-injection", source, target, ssrc, FRAMES_PER_SECOND, 0x4000, 0x40000000);
    }

    @Override
    protected byte[][] frame(int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(12 + 8 + GRAY_16X16_SCAN.length);
        HostileRtp.rtpHeader(packet, false, true, nextSequence(), timestamp, ssrc);
        HostileRtp.mainHeader(packet, 0, 0, 50, 2, 2);
        packet.put(GRAY_16X16_SCAN);
        return new byte[][] {HostileRtp.bytes(packet)};
    }

    @Override
    public String summary() {
        return framesSent() + " one-packet 16x16 frames under SSRC " + Integer.toUnsignedString(ssrc) + " from "
                + source.getHostAddress() + " to " + target;
    }
}
